import type {HeadlineFigure, RunHeadline, RunRecord} from 'mlps'

const number = (value: unknown): number | null => typeof value === 'number' && Number.isFinite(value) ? value : null

/**
 * The recall@k below which a run's recall is low for its index: the rules
 * set no minimum (rules.md §1.4, §4 item 17), so these are what each index
 * reaches at its usual search settings (an exact FLAT search finds all).
 */
export const EXPECTED_RECALL: Readonly<Record<string, number>> = {FLAT: 0.99, HNSW: 0.9, DISKANN: 0.9, AISAQ: 0.9, IVF_FLAT: 0.9, IVF_SQ8: 0.85}

const LATENCIES = [['p50', 'p50_latency_ms'], ['p95', 'p95_latency_ms'], ['p99', 'p99_latency_ms'], ['p99.9', 'p999_latency_ms']] as const

/**
 * A vector database run's headline (rules.md §1.4): QPS, latency
 * P50/P95/P99/P99.9 and recall@k, with a warning when the recall is low for
 * the index. A datagen run shows what it loaded.
 */
export function vectordbHeadline(record: RunRecord): RunHeadline | undefined {
  const m = record.metrics
  const figure = (id: string, label: string, metric: string, unit: string): HeadlineFigure => ({id, label, value: number(m[metric]), unit, source: `metrics.${metric}`})
  if (number(m.throughput_qps) === null) {
    if (number(m.inserted_vectors) === null) return undefined
    return {sections: [{figures: [figure('inserted_vectors', 'vectors loaded', 'inserted_vectors', 'vectors'), figure('bytes_on_disk', 'on disk', 'bytes_on_disk', 'bytes')]
      .filter(f => f.value !== null)}]}
  }
  const k = number(m.recall_k)
  const recall = number(m.recall_at_k)
  const index = record.model ?? String(record.parameters.effective.indexType ?? '')
  const expected = EXPECTED_RECALL[index.toUpperCase()]
  const warnings = recall !== null && expected !== undefined && recall < expected
    ? [`recall@${k ?? 'k'} ${recall.toFixed(4)} is low for ${index} (at least ${expected} is usual): the QPS counts searches that missed true neighbours; widen the search (--search-ef, --nprobe) or check the ground truth`]
    : []
  return {
    sections: [{
      figures: [
        figure('qps', 'throughput', 'throughput_qps', 'queries/s'),
        ...LATENCIES.map(([name, metric]) => figure(`latency_${name.replace('.', '')}_ms`, `latency ${name.toUpperCase()}`, metric, 'ms')),
        {...figure('recall_at_k', `recall@${k ?? 'k'}`, 'recall_at_k', ''), ...(expected !== undefined ? {note: `${index}: at least ${expected} is usual`} : {})},
      ],
    }],
    ...(warnings.length > 0 ? {warnings} : {}),
  }
}
