import {MlpsError} from 'mlps'

import type {DlioTrainingWorkload, ParquetColumn, ParquetDtype} from './workloads/index.js'

/** Rules 3.1.2 HOST_MEMORY_MULTIPLIER: the dataset must be at least 5× the clients' total memory. */
export const HOST_MEMORY_MULTIPLIER = 5n
/** Rules 3.1.2: every accelerator must get at least 500 steps per epoch. */
export const MIN_STEPS_PER_EPOCH = 500n
/** Above this many files, datasize shards the dataset into subfolders of about this many files each. */
export const FILES_PER_SUBFOLDER = 10_000

// Real on-disk widths. The reference tool (mlpstorage-spec.md §3.3 step 3, §12.1 item 18) counts 4 bytes
// for every dtype except float64/int64 (8) and uint8 (1), so it over-sizes float16, int8 and int16
// columns. Its figure is kept in `referenceToolRecordLengthBytes` for comparison. dlrm's declared
// record_length_bytes of 761 equals the real-width sum (50×2 + 56×4 + 49×8 + 45×1), not the tool's 996.
const DTYPE_BYTES: Record<ParquetDtype, number> = {
  float16: 2, float32: 4, float64: 8, int8: 1, int16: 2, int32: 4, int64: 8, uint8: 1,
}
const REFERENCE_TOOL_DTYPE_BYTES: Record<ParquetDtype, number> = {
  float16: 4, float32: 4, float64: 8, int8: 4, int16: 4, int32: 4, int64: 8, uint8: 1,
}

export interface DatasizeInput {
  model: string
  accelerator: string
  /** the run workload, after the user's --param overrides */
  workload: DlioTrainingWorkload
  /** the maximum number of simulated accelerators across all client hosts */
  accelerators: number
  /** each client host's memory in bytes; the dataset is sized against their sum */
  hostMemoryBytes: readonly (number | bigint)[]
}

export interface Datasize {
  model: string
  accelerator: string
  numFilesTrain: number
  numSubfoldersTrain: number
  /** 'param' when the workload already set dataset.num_subfolders_train, which datasize then keeps */
  numSubfoldersTrainSource: 'files-per-folder' | 'param'
  /** numFilesTrain × fileBytes, rounded up to a whole byte */
  totalDiskBytes: bigint
  dominatedBy: 'memory' | 'steps'
  filesByMemory: number
  filesBySteps: number
  /** may be fractional: resnet50's record length is a mean (114660.07) */
  recordLengthBytes: number
  recordLengthSource: 'record_length_bytes' | 'parquet columns'
  /** parquet only: what the reference tool computes from the columns with its 4-byte widths */
  referenceToolRecordLengthBytes?: number
  fileBytes: number
  totalMemoryBytes: bigint
  accelerators: number
}

/** Bad input (exit code 2) to the sizing model. */
export class DatasizeError extends MlpsError {
  constructor(problem: string, fix: string) {
    super(problem, {fix})
    this.name = 'DatasizeError'
  }
}

/** A JS number as the exact decimal it prints as: 114660.07 → 11466007/100. */
interface Fraction {numerator: bigint; denominator: bigint}

function decimalFraction(value: number): Fraction {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value))
  if (!match) throw new DatasizeError(`record length ${value} is not a positive decimal number`, 'set dataset.record_length_bytes to a positive number of bytes')
  const [, whole, fraction = '', exponentText = '0'] = match
  const exponent = Number(exponentText) - fraction.length
  const digits = BigInt(whole + fraction)
  return exponent >= 0
    ? {numerator: digits * 10n ** BigInt(exponent), denominator: 1n}
    : {numerator: digits, denominator: 10n ** BigInt(-exponent)}
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b
}

function safeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new DatasizeError(`${what} (${value}) is too large to count exactly`, 'check the memory and accelerator figures')
  }
  return Number(value)
}

function positiveInteger(value: number | undefined, what: string, fix: string): bigint {
  if (value === undefined || !Number.isSafeInteger(value) || value <= 0) {
    throw new DatasizeError(`${what} must be a whole number above 0, got ${value}`, fix)
  }
  return BigInt(value)
}

function columnBytes(columns: readonly ParquetColumn[], widths: Record<ParquetDtype, number>): number {
  return columns.reduce((sum, column) => sum + column.size * widths[column.dtype], 0)
}

/**
 * For parquet, DLIO writes each sample as the columns say and never reads record_length_bytes (flux's
 * YAML does not even set it), so the columns are the truth there; every other format is sized by
 * record_length_bytes, as in the reference tool.
 */
function recordLength(workload: DlioTrainingWorkload): Pick<Datasize, 'recordLengthBytes' | 'recordLengthSource' | 'referenceToolRecordLengthBytes'> {
  const columns = workload.dataset.format === 'parquet' ? workload.dataset.parquet?.columns ?? [] : []
  if (columns.length > 0) {
    return {
      recordLengthBytes: columnBytes(columns, DTYPE_BYTES),
      recordLengthSource: 'parquet columns',
      referenceToolRecordLengthBytes: columnBytes(columns, REFERENCE_TOOL_DTYPE_BYTES),
    }
  }
  return {recordLengthBytes: workload.dataset.record_length_bytes, recordLengthSource: 'record_length_bytes'}
}

function totalMemory(hostMemoryBytes: readonly (number | bigint)[]): bigint {
  if (hostMemoryBytes.length === 0) {
    throw new DatasizeError('no client host memory given', 'give the memory of every client host')
  }
  return hostMemoryBytes.reduce<bigint>((sum, bytes, host) => {
    if (typeof bytes === 'number' && !Number.isSafeInteger(bytes)) {
      throw new DatasizeError(`host ${host} memory must be a whole number of bytes, got ${bytes}`, 'round the memory to whole bytes')
    }
    const asBigInt = BigInt(bytes)
    if (asBigInt <= 0n) throw new DatasizeError(`host ${host} memory must be above 0 bytes, got ${bytes}`, 'give each host\'s real memory')
    return sum + asBigInt
  }, 0n)
}

/**
 * The number of training files a run needs (Rules 3.1.2):
 *   files = max(ceil(5 × total client memory / file bytes), ceil(500 × accelerators × batch / samples per file))
 *
 * Differences from the reference tool (mlpstorage-spec.md §3.3), each deliberate:
 * - memory is the SUM over hosts, never host0 × host count (storage#669 rejected a compliant submission
 *   because of that anti-pattern);
 * - both rules round UP: the reference's floor division can leave the dataset one file short of 5× memory
 *   or of 500 steps, and a checker doing float division then rejects it "by exactly one file" (storage#796);
 * - parquet record lengths use real dtype widths (see DTYPE_BYTES).
 *
 * All arithmetic is in BigInt: 5 × memory × a scaled record length overflows 2^53 for large clusters,
 * and resnet50's fractional record length is handled as an exact decimal fraction.
 */
export function calculateDatasize(input: DatasizeInput): Datasize {
  const {workload} = input
  const accelerators = positiveInteger(input.accelerators, 'the number of accelerators', 'pass at least one accelerator')
  const batchSize = positiveInteger(workload.reader?.batch_size, 'reader.batch_size',
    'size the run workload of the model and accelerator, not the datagen workload (it has no reader)')
  const samplesPerFile = positiveInteger(workload.dataset.num_samples_per_file, 'dataset.num_samples_per_file',
    'set --param dataset.num_samples_per_file to a positive whole number')
  const totalMemoryBytes = totalMemory(input.hostMemoryBytes)

  const record = recordLength(workload)
  if (!(record.recordLengthBytes > 0)) {
    throw new DatasizeError(`the record length is ${record.recordLengthBytes} bytes`, 'set dataset.record_length_bytes (or the parquet columns) to a positive size')
  }
  const {numerator, denominator} = decimalFraction(record.recordLengthBytes)

  // file bytes = samplesPerFile × numerator / denominator, so memory ÷ file bytes is exact as a fraction
  const filesByMemory = ceilDiv(HOST_MEMORY_MULTIPLIER * totalMemoryBytes * denominator, samplesPerFile * numerator)
  const filesBySteps = ceilDiv(MIN_STEPS_PER_EPOCH * accelerators * batchSize, samplesPerFile)
  // On a tie either rule explains the count; memory is named because it is the one users can act on.
  const dominatedBy = filesByMemory >= filesBySteps ? 'memory' : 'steps'
  const files = dominatedBy === 'memory' ? filesByMemory : filesBySteps
  const numFilesTrain = safeNumber(files, 'the number of training files')

  // numSubfoldersTrain carries the suggestion itself rather than staying 0 beside a separate hint: the
  // datagen command we print must create exactly the layout the run will read (Rules 3.3.1 requires the
  // run's num_subfolders_train to equal the real subfolder count), and the datasize record should state
  // that layout. A value the user set with --param wins, including 0 to keep one flat folder.
  const subfoldersParam = workload.dataset.num_subfolders_train
  const numSubfoldersTrain = subfoldersParam ?? (numFilesTrain > FILES_PER_SUBFOLDER ? Math.ceil(numFilesTrain / FILES_PER_SUBFOLDER) : 0)

  return {
    model: input.model,
    accelerator: input.accelerator,
    numFilesTrain,
    numSubfoldersTrain,
    numSubfoldersTrainSource: subfoldersParam === undefined ? 'files-per-folder' : 'param',
    totalDiskBytes: ceilDiv(files * samplesPerFile * numerator, denominator),
    dominatedBy,
    filesByMemory: safeNumber(filesByMemory, 'the file count by memory'),
    filesBySteps: safeNumber(filesBySteps, 'the file count by steps'),
    ...record,
    fileBytes: Number(samplesPerFile * numerator) / Number(denominator),
    totalMemoryBytes,
    accelerators: input.accelerators,
  }
}
