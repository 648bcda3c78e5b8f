import {readFile} from 'node:fs/promises'

/** What one DLIO log line says, when it says something mlps follows (engines.md §2.5). */
export type DlioLogEvent =
  | {kind: 'start'; mode: string; processes: number}
  | {kind: 'epochStart'; epoch: number; steps: number}
  | {kind: 'epochEnd'; epoch: number; steps: number; seconds: number}
  | {kind: 'blockEnd'; block: number; steps: number; seconds: number}
  | {kind: 'au'; epoch: number; block: number; percent: number}
  | {kind: 'throughput'; epoch: number; block: number; samplesPerSecond: number}
  | {kind: 'checkpoint'; operation: 'save' | 'load'; checkpoint: number; epoch: number; seconds: number; gbPerSecond: number}
  | {kind: 'metric'; name: string; value: string}
  | {kind: 'error'; message: string}
  | {kind: 'generation'; format: string; file: number; files: number}

export interface DlioLogLine {
  level: string
  /** DLIO's local timestamp, when the line has one */
  time?: string
  message: string
}

const LINE = /^\[([A-Z]+)\]\s+(?:(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)\s+)?(.*)$/
const NUMBER = '([-+]?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?|nan|inf)'

/**
 * Datagen's progress bar, printed without a level by every rank for the
 * global file index it just wrote: `Generating NPZ Data: [====>---] 6.4% 601 of 9375`
 * (engines.md §1.5); a carriage-return redraw may precede it.
 */
const GENERATION = /Generating (\w+) Data: \[[^\]]*\]\s*[\d.]+%\s+(\d+) of (\d+)/

const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => DlioLogEvent]> = [
  [/Running DLIO \[([^\]]+)\] with (\d+) process/, m => ({kind: 'start', mode: m[1], processes: Number(m[2])})],
  [/Starting epoch (\d+): (\d+) steps expected/, m => ({kind: 'epochStart', epoch: Number(m[1]), steps: Number(m[2])})],
  // what DLIO prints instead when train.total_training_steps caps the epoch
  [/Starting epoch (\d+): Overriding number of steps to (\d+)\./, m => ({kind: 'epochStart', epoch: Number(m[1]), steps: Number(m[2])})],
  [new RegExp(`Ending epoch (\\d+) - (\\d+) steps completed in ${NUMBER} s`), m => ({kind: 'epochEnd', epoch: Number(m[1]), steps: Number(m[2]), seconds: Number(m[3])})],
  [new RegExp(`Ending block (\\d+) - (\\d+) steps completed in ${NUMBER} s`), m => ({kind: 'blockEnd', block: Number(m[1]), steps: Number(m[2]), seconds: Number(m[3])})],
  [new RegExp(`Epoch (\\d+) - Block (\\d+) \\[Training\\] Accelerator Utilization \\[AU\\] \\(%\\): ${NUMBER}`), m => ({kind: 'au', epoch: Number(m[1]), block: Number(m[2]), percent: Number(m[3])})],
  [new RegExp(`Epoch (\\d+) - Block (\\d+) \\[Training\\] Throughput \\(samples/second\\): ${NUMBER}`), m => ({kind: 'throughput', epoch: Number(m[1]), block: Number(m[2]), samplesPerSecond: Number(m[3])})],
  [new RegExp(`Finished (saving|loading) checkpoint (\\d+) for epoch (\\d+) in ${NUMBER} s; Throughput: ${NUMBER} GB/s`),
    m => ({kind: 'checkpoint', operation: m[1] === 'saving' ? 'save' : 'load', checkpoint: Number(m[2]), epoch: Number(m[3]), seconds: Number(m[4]), gbPerSecond: Number(m[5])})],
]

export function splitDlioLogLine(line: string): DlioLogLine | undefined {
  const match = LINE.exec(line.trimEnd())
  return match ? {level: match[1], time: match[2], message: match[3]} : undefined
}

/** The event a line of dlio.log (or DLIO's console output, which has the same lines) reports. */
export function dlioLogEvent(line: string): DlioLogEvent | undefined {
  const generation = GENERATION.exec(line)
  if (generation) return {kind: 'generation', format: generation[1], file: Number(generation[2]), files: Number(generation[3])}
  const parsed = splitDlioLogLine(line)
  if (!parsed) return undefined
  if (parsed.level === 'ERROR' || parsed.level === 'CRITICAL') return {kind: 'error', message: parsed.message}
  if (parsed.level === 'METRIC') {
    const metric = /^(.+?):\s*(.+)$/.exec(parsed.message)
    return metric ? {kind: 'metric', name: metric[1].trim(), value: metric[2].trim()} : undefined
  }
  for (const [pattern, build] of PATTERNS) {
    const match = pattern.exec(parsed.message)
    if (match) return build(match)
  }
  return undefined
}

export interface DlioLogSummary {
  processes?: number
  mode?: string
  epochs: Array<{epoch: number; steps?: number; seconds?: number; au?: number; samplesPerSecond?: number}>
  checkpoints: Array<{operation: 'save' | 'load'; checkpoint: number; epoch: number; seconds: number; gbPerSecond: number}>
  /** the closing [METRIC] block, name → value as printed, e.g. "Training Accelerator Utilization [AU] (%)" → "92.5209 (0.3415)" */
  metrics: Record<string, string>
  errors: string[]
}

/** Everything dlio.log says about a run, in order (rank 0's view: per-block figures are rank 0's). */
export function parseDlioLog(text: string): DlioLogSummary {
  const summary: DlioLogSummary = {epochs: [], checkpoints: [], metrics: {}, errors: []}
  const epoch = (n: number) => {
    let entry = summary.epochs.find(e => e.epoch === n)
    if (!entry) summary.epochs.push(entry = {epoch: n})
    return entry
  }
  for (const line of text.split(/\r?\n/)) {
    const event = dlioLogEvent(line)
    if (!event) continue
    switch (event.kind) {
      case 'start': summary.processes = event.processes; summary.mode = event.mode; break
      case 'epochStart': epoch(event.epoch).steps = event.steps; break
      case 'epochEnd': Object.assign(epoch(event.epoch), {steps: event.steps, seconds: event.seconds}); break
      case 'au': epoch(event.epoch).au = event.percent; break
      case 'throughput': epoch(event.epoch).samplesPerSecond = event.samplesPerSecond; break
      case 'checkpoint': summary.checkpoints.push({operation: event.operation, checkpoint: event.checkpoint, epoch: event.epoch, seconds: event.seconds, gbPerSecond: event.gbPerSecond}); break
      case 'metric': if (!/^=+$/.test(event.name)) summary.metrics[event.name] = event.value; break
      case 'error': summary.errors.push(event.message); break
      case 'blockEnd': break
    }
  }
  return summary
}

export async function readDlioLog(file: string): Promise<DlioLogSummary> {
  return parseDlioLog(await readFile(file, 'utf8'))
}
