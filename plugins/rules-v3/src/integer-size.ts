/** A JS number as the exact decimal it prints as: 114660.07 → 11466007/100 (resnet50's record length is a mean). */
export function decimalFraction(value: number): {numerator: bigint; denominator: bigint} | undefined {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value))
  if (!match) return undefined
  const [, whole, fraction = '', exponentText = '0'] = match
  const exponent = Number(exponentText) - fraction.length
  const digits = BigInt(whole + fraction)
  return exponent >= 0 ? {numerator: digits * 10n ** BigInt(exponent), denominator: 1n} : {numerator: digits, denominator: 10n ** BigInt(-exponent)}
}

export interface MinimumFiles {
  filesByMemory: bigint
  filesBySteps: bigint
  required: bigint
}

/**
 * Rules 3.1.2 in integers (rules.md §1.1 item 3, PY2 `calculate_training_data_size`):
 * files_by_memory = ⌊5 × total_client_memory_bytes / (samples_per_file × record_length)⌋,
 * files_by_steps = ⌊500 × accelerators × batch_size / samples_per_file⌋, required = the larger.
 * Memory bytes are floored to a whole byte first (DLIO reports GiB as floats).
 */
export function minimumFiles(input: {memoryBytes: number; recordLengthBytes: number; samplesPerFile: number; accelerators: number; batchSize: number}): MinimumFiles | undefined {
  const record = decimalFraction(input.recordLengthBytes)
  if (!record || record.numerator === 0n || input.samplesPerFile <= 0) return undefined
  const memory = BigInt(Math.floor(input.memoryBytes))
  const samplesPerFile = BigInt(Math.round(input.samplesPerFile))
  const filesByMemory = (5n * memory * record.denominator) / (samplesPerFile * record.numerator)
  const filesBySteps = (500n * BigInt(Math.round(input.accelerators)) * BigInt(Math.round(input.batchSize))) / samplesPerFile
  return {filesByMemory, filesBySteps, required: filesByMemory > filesBySteps ? filesByMemory : filesBySteps}
}
