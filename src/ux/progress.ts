import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {redactText} from '../util/redact-secrets.js'
import {EtaSmoother} from './eta-smoother.js'
import {formatDuration} from './format.js'
import {eventLine, type ProgressEvent} from './progress-events.js'
import {type HostProgress, type ProgressFigure, renderHostLine, renderLine} from './progress-line.js'

export type {HostProgress, ProgressFigure} from './progress-line.js'
export type {ProgressEvent} from './progress-events.js'

export type ProgressMode = 'tty' | 'plain' | 'ndjson' | 'none'

export interface ProgressUpdate {
  done: number
  total?: number
  unit?: 'bytes' | 'items'
  /** extra facts shown after the bar, e.g. {epoch: '2/5'} */
  fields?: Record<string, string>
  /** what the engine measured so far, over the whole stage (not reset at an epoch's start), e.g. MiB/s, samples/s, AU */
  figures?: ProgressFigure[]
  /** the engine's own estimate of the seconds left; the view smooths it (or its own, from the rate) */
  etaSeconds?: number
  /** one entry per host once the run spans hosts: a line each on a terminal */
  hosts?: HostProgress[]
}

/** The last update of the current stage: what a stopped run had measured so far. */
export interface ProgressSnapshot {
  stage: string
  elapsedSeconds: number
  update: ProgressUpdate
}

/**
 * The one progress component: a redrawn status line (and one per host) with
 * the figures so far and a smoothed ETA on a TTY; the same fields on a status
 * line every interval otherwise; NDJSON events under --json
 * (docs/progress-events.md). Always on stderr.
 */
export interface Progress {
  readonly mode: ProgressMode
  stage(name: string): void
  update(update: ProgressUpdate): void
  /** a message that must not be overwritten by the bar */
  log(message: string): void
  done(summary?: string): void
  /** the stage's last update, if any */
  snapshot?(): ProgressSnapshot | undefined
}

export interface ProgressOptions {
  mode: ProgressMode
  stream?: NodeJS.WriteStream
  /** plain mode: seconds between status lines */
  plainIntervalSeconds?: number
  /** ndjson mode: seconds between progress events (the last of a stage always goes out) */
  eventIntervalSeconds?: number
  now?: () => number
}

/**
 * `json` with `events`: a command whose stdout is JSON and whose stderr
 * carries progress events (benchmark runs); other commands stay silent.
 */
export function resolveProgressMode(setting: 'auto' | 'tty' | 'plain' | 'none', json: boolean, stream: NodeJS.WriteStream = process.stderr, events = false): ProgressMode {
  if (setting === 'none') return 'none'
  if (json) return events ? 'ndjson' : 'none'
  if (setting !== 'auto') return setting
  return stream.isTTY && process.env.TERM !== 'dumb' && !process.env.CI ? 'tty' : 'plain'
}

/** Seconds between plain status lines, from MLPS_PROGRESS_INTERVAL (default 10); anything but a number ≥ 0 is bad input. */
export function progressIntervalSeconds(env: NodeJS.ProcessEnv): number {
  const text = env.MLPS_PROGRESS_INTERVAL
  if (text === undefined) return 10
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new MlpsError(`MLPS_PROGRESS_INTERVAL is "${text}", not a number of seconds ≥ 0`, {where: 'MLPS_PROGRESS_INTERVAL', exitCode: ExitCode.BadInput, fix: 'set it to seconds between status lines, e.g. MLPS_PROGRESS_INTERVAL=10, or unset it'})
  }
  return value
}

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr
  const now = options.now ?? (() => performance.now() / 1000)
  const interval = options.plainIntervalSeconds ?? progressIntervalSeconds(process.env)
  const eventInterval = options.eventIntervalSeconds ?? Number(process.env.MLPS_PROGRESS_EVENT_INTERVAL ?? 1)
  const {mode} = options
  let stageName = ''
  let stageStart = now()
  let lastDraw = 0
  /** tty and ndjson: the first update of a stage goes out at once, later ones at their pace */
  let drewInStage = false
  /** lines of the live view now on the terminal (status line + host lines) */
  let drawn: string[] = []
  let last: ProgressUpdate | undefined
  const window: Array<{t: number; done: number}> = []
  const eta = new EtaSmoother()

  const emit = (event: ProgressEvent) => stream.write(eventLine(event))
  const time = () => new Date().toISOString()
  const clearDrawn = () => {
    if (mode !== 'tty' || drawn.length === 0) return
    stream.write(`\r\x1b[2K${'\x1b[1A\x1b[2K'.repeat(drawn.length - 1)}`)
  }
  const draw = (lines: string[]) => {
    const width = (stream.columns ?? 120) - 1
    clearDrawn()
    drawn = lines.map(line => line.slice(0, width))
    stream.write(drawn.join('\n'))
  }
  const rateOf = (done: number, t: number) => {
    window.push({t, done})
    while (window.length > 2 && t - window[0].t > 10) window.shift()
    const first = window[0]
    const span = t - first.t
    return span > 0 ? (done - first.done) / span : 0
  }
  const lines = (update: ProgressUpdate, rate: number, etaSeconds: number | undefined): string[] => [
    renderLine({stage: stageName, done: update.done, total: update.total, unit: update.unit, rate, etaSeconds, figures: update.figures, fields: update.fields, bar: mode === 'tty'}),
    ...(update.hosts && update.hosts.length > 1 ? update.hosts.map(host => renderHostLine(host, update.unit)) : []),
  ]

  return {
    mode,
    stage(name) {
      stageName = name
      stageStart = now()
      lastDraw = 0
      drewInStage = false
      last = undefined
      window.length = 0
      eta.reset()
      if (mode === 'none') return
      if (mode === 'ndjson') return emit({event: 'stage', time: time(), stage: name})
      clearDrawn()
      drawn = []
      stream.write(`${name}...\n`)
    },
    update(update) {
      last = update
      if (mode === 'none') return
      const t = now()
      const rate = rateOf(update.done, t)
      const remaining = update.total !== undefined ? update.total - update.done : undefined
      const final = update.total !== undefined && update.done >= update.total
      const etaSeconds = final ? 0 : eta.next(update.etaSeconds ?? (remaining !== undefined && rate > 0 ? remaining / rate : undefined), t)
      const due = (seconds: number) => !drewInStage || t - lastDraw >= seconds || final
      if (mode === 'tty') {
        if (!due(0.1)) return
        drewInStage = true
        lastDraw = t
        draw(lines(update, rate, etaSeconds))
      } else if (mode === 'ndjson') {
        if (!due(eventInterval)) return
        drewInStage = true
        lastDraw = t
        emit({
          event: 'progress', time: time(), stage: stageName, elapsedSeconds: t - stageStart, done: update.done, total: update.total, unit: update.unit,
          ratePerSecond: rate > 0 ? rate : undefined, etaSeconds, figures: update.figures ?? [], fields: update.fields ?? {}, hosts: update.hosts,
        })
      } else if (t - lastDraw >= interval || (lastDraw === 0 && t - stageStart >= interval)) {
        lastDraw = t
        const [status, ...hostLines] = lines(update, rate, etaSeconds)
        stream.write([`${status}  (${formatDuration(t - stageStart)} elapsed)`, ...hostLines].join('\n') + '\n')
      }
    },
    log(message) {
      if (mode === 'none') return
      if (mode === 'ndjson') return emit({event: 'log', time: time(), message: redactText(message)})
      clearDrawn()
      stream.write(redactText(message) + '\n')
      if (mode === 'tty' && drawn.length > 0) stream.write(drawn.join('\n'))
    },
    done(summary) {
      if (mode === 'none') return
      if (mode === 'ndjson') return emit({event: 'done', time: time(), stage: stageName, elapsedSeconds: now() - stageStart, summary})
      clearDrawn()
      drawn = []
      if (summary) stream.write(summary + '\n')
    },
    snapshot() {
      return last && {stage: stageName, elapsedSeconds: now() - stageStart, update: last}
    },
  }
}
