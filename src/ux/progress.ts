import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {redactText} from '../util/redact-secrets.js'
import {formatBytes, formatCount, formatDuration} from './format.js'

export type ProgressMode = 'tty' | 'plain' | 'none'

export interface ProgressUpdate {
  done: number
  total?: number
  unit?: 'bytes' | 'items'
  /** extra facts shown after the bar, e.g. {epoch: '2/5', AU: '93.1%'} */
  fields?: Record<string, string>
}

/**
 * The one progress component: a redrawn bar with rate and ETA on a TTY; one
 * line per stage and a periodic status line otherwise; nothing with --json.
 * Always on stderr.
 */
export interface Progress {
  readonly mode: ProgressMode
  stage(name: string): void
  update(update: ProgressUpdate): void
  /** a message that must not be overwritten by the bar */
  log(message: string): void
  done(summary?: string): void
}

export interface ProgressOptions {
  mode: ProgressMode
  stream?: NodeJS.WriteStream
  /** plain mode: seconds between status lines */
  plainIntervalSeconds?: number
  now?: () => number
}

export function resolveProgressMode(setting: 'auto' | 'tty' | 'plain' | 'none', json: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressMode {
  if (json || setting === 'none') return 'none'
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
  let stageName = ''
  let stageStart = now()
  let lastDraw = 0
  let lastLine = ''
  const window: Array<{t: number; done: number}> = []

  const clearLine = () => {
    if (options.mode === 'tty' && lastLine) stream.write('\r\x1b[2K')
  }
  const rateOf = (update: ProgressUpdate, t: number) => {
    window.push({t, done: update.done})
    while (window.length > 2 && t - window[0].t > 10) window.shift()
    const first = window[0]
    const span = t - first.t
    return span > 0 ? (update.done - first.done) / span : 0
  }
  const render = (update: ProgressUpdate, rate: number): string => {
    const fmt = update.unit === 'bytes' ? formatBytes : formatCount
    const parts = [stageName]
    if (update.total && update.total > 0) {
      const fraction = Math.min(1, update.done / update.total)
      const width = 24
      const filled = Math.round(fraction * width)
      if (options.mode === 'tty') parts.push(`[${'='.repeat(filled)}${filled < width ? '>' : ''}${' '.repeat(Math.max(0, width - filled - 1))}]`)
      parts.push(`${(fraction * 100).toFixed(1)}%`, `${fmt(update.done)}/${fmt(update.total)}`)
    } else {
      parts.push(fmt(update.done))
    }
    if (rate > 0) parts.push(update.unit === 'bytes' ? `${formatBytes(rate)}/s` : `${rate.toFixed(1)}/s`)
    if (update.total && rate > 0) parts.push(`ETA ${formatDuration((update.total - update.done) / rate)}`)
    for (const [key, value] of Object.entries(update.fields ?? {})) parts.push(`${key} ${value}`)
    return parts.filter(Boolean).join('  ')
  }

  return {
    mode: options.mode,
    stage(name) {
      stageName = name
      stageStart = now()
      window.length = 0
      if (options.mode === 'none') return
      clearLine()
      lastLine = ''
      stream.write(`${name}...\n`)
    },
    update(update) {
      if (options.mode === 'none') return
      const t = now()
      const rate = rateOf(update, t)
      if (options.mode === 'tty') {
        if (t - lastDraw < 0.1 && update.done !== update.total) return
        lastDraw = t
        lastLine = render(update, rate)
        stream.write(`\r\x1b[2K${lastLine.slice(0, (stream.columns ?? 120) - 1)}`)
      } else if (t - lastDraw >= interval || (lastDraw === 0 && t - stageStart >= interval)) {
        lastDraw = t
        stream.write(`${render(update, rate)}  (${formatDuration(t - stageStart)} elapsed)\n`)
      }
    },
    log(message) {
      if (options.mode === 'none') return
      clearLine()
      stream.write(redactText(message) + '\n')
      if (options.mode === 'tty' && lastLine) stream.write(lastLine)
    },
    done(summary) {
      if (options.mode === 'none') return
      clearLine()
      lastLine = ''
      if (summary) stream.write(summary + '\n')
    },
  }
}
