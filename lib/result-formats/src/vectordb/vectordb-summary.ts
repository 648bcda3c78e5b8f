import {type LoadedRun, type MetricValue, z} from 'mlps'

// vdbbench's statistics with the recall reduced to `mean_recall` (engines.md §4.4), as the v3.0 tree
// holds them: `vector_database/<backend>/<INDEX>/{datagen,run}/<ts>/summary.json`.

/** the format name the vector-database benchmark's reader gives the summaries it reads */
export const VECTORDB_SUMMARY_FORMAT = 'vectordb-summary'

const figure = z.number().nullable().optional()

/** vdbbench's run statistics or the datagen summary; every key optional, numbers typed where present. */
export const VectordbSummarySchema = z.looseObject({
  throughput_qps: figure,
  total_queries: figure,
  mean_latency_ms: figure,
  median_latency_ms: figure,
  p95_latency_ms: figure,
  p99_latency_ms: figure,
  p999_latency_ms: figure,
  mean_recall: figure,
  recall: z.looseObject({recall_at_k: figure, mean_recall: figure, k: figure}).optional(),
  num_vectors: figure,
  inserted_vectors: figure,
  dimension: figure,
  index_type: z.string().optional(),
  load_seconds: figure,
  index_build_seconds: figure,
})
export type VectordbSummary = z.infer<typeof VectordbSummarySchema>

/** Flat metrics from a vector-database summary, named as the vector-database benchmark records them. */
export function vectordbSummaryMetrics(summary: VectordbSummary): Record<string, MetricValue> {
  const pairs: Array<[string, number | null | undefined]> = [
    ['throughput_qps', summary.throughput_qps], ['total_queries', summary.total_queries], ['mean_latency_ms', summary.mean_latency_ms],
    ['p50_latency_ms', summary.median_latency_ms], ['p95_latency_ms', summary.p95_latency_ms], ['p99_latency_ms', summary.p99_latency_ms],
    ['p999_latency_ms', summary.p999_latency_ms], ['recall_at_k', summary.mean_recall ?? summary.recall?.recall_at_k ?? summary.recall?.mean_recall],
    ['num_vectors', summary.num_vectors], ['inserted_vectors', summary.inserted_vectors], ['dimension', summary.dimension],
    ['load_seconds', summary.load_seconds], ['index_build_seconds', summary.index_build_seconds],
  ]
  return Object.fromEntries(pairs.filter(([, value]) => value !== undefined)) as Record<string, MetricValue>
}

/** The leaf's vector-database summary, as the benchmark's reader parsed it. */
export function vectordbSummaryOf(run: LoadedRun): VectordbSummary | undefined {
  return run.summaries.find(summary => summary.format === VECTORDB_SUMMARY_FORMAT)?.summary as VectordbSummary | undefined
}
