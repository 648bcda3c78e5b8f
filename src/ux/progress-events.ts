import type {HostProgress, ProgressFigure} from './progress-line.js'

/**
 * The NDJSON progress events a benchmark command writes on stderr under
 * --json, one object a line (docs/progress-events.md). `elapsedSeconds`
 * counts from the start of the stage.
 */
export type ProgressEvent =
  | {event: 'stage'; time: string; stage: string}
  | {
    event: 'progress'; time: string; stage: string; elapsedSeconds: number
    done: number; total?: number; unit?: 'bytes' | 'items'; ratePerSecond?: number; etaSeconds?: number
    figures: ProgressFigure[]; fields: Record<string, string>; hosts?: HostProgress[]
  }
  | {event: 'log'; time: string; message: string}
  | {event: 'done'; time: string; stage: string; elapsedSeconds: number; summary?: string}

export function eventLine(event: ProgressEvent): string {
  return JSON.stringify(event) + '\n'
}
