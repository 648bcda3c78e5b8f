import {formatBytes, formatCount, formatDuration} from './format.js'

/** A measured figure so far, e.g. {value: 812.4, unit: 'MiB/s'} or {name: 'AU', value: 93.1, unit: '%'}. */
export interface ProgressFigure {
  name?: string
  value: number
  unit: string
}

/** One host's part of a run that spans hosts. */
export interface HostProgress {
  host: string
  done?: number
  total?: number
  figures?: ProgressFigure[]
  fields?: Record<string, string>
}

/** A figure as the live view and the headline print it: counts whole, others with three significant digits at least. */
export function formatFigureValue(value: number): string {
  const magnitude = Math.abs(value)
  if (Number.isInteger(value)) return String(value)
  if (magnitude >= 100) return value.toFixed(1)
  if (magnitude >= 1) return value.toFixed(2)
  return value.toPrecision(3)
}

export function renderFigure(figure: ProgressFigure): string {
  const value = `${formatFigureValue(figure.value)} ${figure.unit}`
  return figure.name ? `${figure.name} ${value}` : value
}

export interface LineParts {
  stage: string
  done: number
  total?: number
  unit?: 'bytes' | 'items'
  /** units per second of `done`, 0 when not known yet */
  rate: number
  etaSeconds?: number
  figures?: readonly ProgressFigure[]
  fields?: Record<string, string>
  /** draw a bar (terminals) */
  bar: boolean
}

/** The status line: stage, bar, done/total, rate, the engine's figures so far, ETA, and its fields. */
export function renderLine(parts: LineParts): string {
  const fmt = parts.unit === 'bytes' ? formatBytes : formatCount
  const out = [parts.stage]
  if (parts.total && parts.total > 0) {
    const fraction = Math.min(1, parts.done / parts.total)
    const width = 24
    const filled = Math.round(fraction * width)
    if (parts.bar) out.push(`[${'='.repeat(filled)}${filled < width ? '>' : ''}${' '.repeat(Math.max(0, width - filled - 1))}]`)
    out.push(`${(fraction * 100).toFixed(1)}%`, `${fmt(parts.done)}/${fmt(parts.total)}`)
  } else {
    out.push(fmt(parts.done))
  }
  // an engine that measures its own figures says what its rate is; the count's rate is only shown otherwise
  if (parts.figures && parts.figures.length > 0) out.push(...parts.figures.map(renderFigure))
  else if (parts.rate > 0) out.push(parts.unit === 'bytes' ? `${formatBytes(parts.rate)}/s` : `${parts.rate.toFixed(1)}/s`)
  for (const [key, value] of Object.entries(parts.fields ?? {})) out.push(`${key} ${value}`)
  if (parts.etaSeconds !== undefined && Number.isFinite(parts.etaSeconds)) out.push(`ETA ${formatDuration(parts.etaSeconds)}`)
  return out.filter(Boolean).join('  ')
}

/** One line per host, under the status line, once a run spans hosts. */
export function renderHostLine(host: HostProgress, unit: 'bytes' | 'items' | undefined): string {
  const fmt = unit === 'bytes' ? formatBytes : formatCount
  const out = [`  ${host.host}`]
  if (host.done !== undefined) out.push(host.total ? `${fmt(host.done)}/${fmt(host.total)}` : fmt(host.done))
  out.push(...(host.figures ?? []).map(renderFigure))
  for (const [key, value] of Object.entries(host.fields ?? {})) out.push(`${key} ${value}`)
  return out.join('  ')
}
