import type {HeadlineFigure, HeadlineSection, RunHeadline, RunRecord} from 'mlps'
import {CLOSED_OPTIONS} from '../closed-options.js'

const number = (value: unknown): number | null => typeof value === 'number' && Number.isFinite(value) ? value : null

/** [id, label, metric suffix, unit] of each figure an option shows */
const FIGURES = [
  ['tokens_per_second', 'throughput', 'throughput_tokens_per_second', 'tokens/s'],
  ['storage_tokens_per_second', 'storage throughput', 'storage_throughput_tokens_per_second', 'tokens/s'],
  ['read_GiB_per_second', 'storage read', 'read_GiB_per_second', 'GiB/s'],
  ['write_GiB_per_second', 'storage write', 'write_GiB_per_second', 'GiB/s'],
  ['latency_p50_ms', 'storage I/O latency P50', 'storage_io_p50_ms', 'ms'],
  ['latency_p95_ms', 'storage I/O latency P95', 'storage_io_p95_ms', 'ms'],
  ['latency_p99_ms', 'storage I/O latency P99', 'storage_io_p99_ms', 'ms'],
] as const

/**
 * A KV cache run's headline (rules.md §1.3): per option, tokens/s, the
 * storage read and write GiB/s and the storage I/O latency P50/P95/P99, as
 * the collect step wrote them into the record for either engine. A null
 * figure is one the rank files did not give (the record's extra says why).
 */
export function kvcacheHeadline(record: RunRecord): RunHeadline | undefined {
  const m = record.metrics
  const options = Object.keys(m).map(key => /^kvcache_opt(\d+)_throughput_tokens_per_second$/.exec(key)?.[1]).filter((option): option is string => option !== undefined)
    .map(Number).sort((a, b) => a - b)
  if (options.length === 0) return undefined
  const sections: HeadlineSection[] = options.map(option => {
    const name = CLOSED_OPTIONS.find(closed => closed.option === option)?.name
    const figures: HeadlineFigure[] = FIGURES.map(([id, label, suffix, unit]) => {
      const metric = `kvcache_opt${option}_${suffix}`
      return {id: `option${option}_${id}`, label, value: number(m[metric]), unit, source: `metrics.${metric}`}
    })
    return {title: `option ${option}${name ? ` (${name})` : ''}`, figures}
  })
  const warnings = m.kvcache_partial_failure === true ? ['some rank results are missing: the options they belong to are not aggregated (see extra.kvcache in metadata.json)'] : undefined
  return {sections, ...(warnings ? {warnings} : {})}
}
