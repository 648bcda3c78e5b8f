import {readFile} from 'node:fs/promises'
import {ExitCode, MlpsError, z} from 'mlps'
import {parseTolerantJson} from 'mlps/unstable'

/** One timed phase of an epoch: a block of steps, an evaluation, a checkpoint save or load. */
export interface EpochPhase {
  start?: string
  end?: string
  /** seconds; DLIO writes training durations as strings ("227.21") and checkpoint ones as floats */
  durationSeconds: number | null
  /** checkpoint phases: GiB/s as DLIO computed it */
  throughput?: number | null
}

export interface EpochStats {
  epoch: number
  start?: string
  end?: string
  durationSeconds: number | null
  /** block1, block2, ... */
  blocks: Record<string, EpochPhase>
  /** save_ckpt<n> / load_ckpt<n> (v2, v3) or ckpt<n> (v1.0) */
  checkpoints: Record<string, EpochPhase>
  eval?: EpochPhase
}

const seconds = z.union([z.number(), z.string(), z.null()])
const PhaseSchema = z.looseObject({start: z.string().optional(), end: z.string().optional(), duration: seconds.optional(), throughput: seconds.optional()})
const EpochSchema = z.record(z.string(), z.unknown())
const FileSchema = z.record(z.string(), EpochSchema)

function toSeconds(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value)
    return Number.isFinite(number) ? number : null
  }
  return null
}

function phase(raw: unknown, where: string): EpochPhase {
  const parsed = PhaseSchema.safeParse(raw)
  if (!parsed.success) throw new MlpsError(`${where} is not a timed phase: ${parsed.error.issues[0]?.message}`, {exitCode: ExitCode.RunFailed})
  const out: EpochPhase = {start: parsed.data.start, end: parsed.data.end, durationSeconds: toSeconds(parsed.data.duration)}
  if (parsed.data.throughput !== undefined) out.throughput = toSeconds(parsed.data.throughput)
  return out
}

/**
 * `per_epoch_stats.json` (v1.0) or `<rank>_per_epoch_stats.json` (v2.0, v3.0), engines.md §2.3:
 * epochs keyed by number, each with start/end/duration, its blocks, and checkpoint phases. Durations
 * become numbers whichever way DLIO wrote them; NaN becomes null.
 */
export function parsePerEpochStats(text: string, file = 'per_epoch_stats.json'): EpochStats[] {
  let raw: unknown
  try {
    raw = parseTolerantJson(text)
  } catch (error) {
    throw new MlpsError(`not valid JSON: ${(error as Error).message}`, {where: file, exitCode: ExitCode.RunFailed, fix: 'the engine was probably stopped while writing it; re-run'})
  }
  const parsed = FileSchema.safeParse(raw)
  if (!parsed.success) {
    throw new MlpsError(`not DLIO per-epoch stats: ${parsed.error.issues.map(issue => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`, {where: file, exitCode: ExitCode.RunFailed})
  }
  const badKey = Object.keys(parsed.data).find(key => !/^\d+$/.test(key))
  if (badKey !== undefined) throw new MlpsError(`not DLIO per-epoch stats: epoch keys are numbers, found "${badKey}"`, {where: file, exitCode: ExitCode.RunFailed})
  const epochs: EpochStats[] = []
  for (const [key, entry] of Object.entries(parsed.data)) {
    const stats: EpochStats = {
      epoch: Number(key), start: typeof entry.start === 'string' ? entry.start : undefined, end: typeof entry.end === 'string' ? entry.end : undefined,
      durationSeconds: toSeconds(entry.duration), blocks: {}, checkpoints: {},
    }
    for (const [name, value] of Object.entries(entry)) {
      const where = `${file}: epoch ${key} ${name}`
      try {
        if (/^block\d+$/.test(name)) stats.blocks[name] = phase(value, where)
        else if (/^(?:save_|load_)?ckpt\d+$/.test(name)) stats.checkpoints[name] = phase(value, where)
        else if (name === 'eval') stats.eval = phase(value, where)
      } catch (error) {
        throw error instanceof MlpsError ? new MlpsError(error.message, {where: file, exitCode: ExitCode.RunFailed}) : error
      }
    }
    epochs.push(stats)
  }
  return epochs.sort((a, b) => a.epoch - b.epoch)
}

export async function readPerEpochStats(file: string): Promise<EpochStats[]> {
  return parsePerEpochStats(await readFile(file, 'utf8'), file)
}
