import {KV_RUN_SUMMARY_FORMAT, kvcacheSummaryMetrics, KvRunSummarySchema} from '@mlps/result-formats'
import {type ResultsReader} from 'mlps'
import {parseTimestamp} from 'mlps/unstable'
import {checkRankFiles} from './rank-files-check.js'

/** the name mlpstorage's code gives the run summary; the published tree calls it summary.json (rules.md §4 item 16) */
const SUMMARY_ALIAS = /^kvcache_run_summary_.*\.json$/

/**
 * A KV-cache run leaf's aggregated summary (summary.json, or mlpstorage's
 * own name for it): typed for the rules, flattened into the run's metrics
 * where the run record does not already hold them; and the per-rank results
 * it was aggregated from, each checked to parse (rank-files-check.ts).
 */
export const kvcacheResultsReader: ResultsReader = {
  name: 'kvcache',
  marks: {files: ['summary.json']},
  async read(run, files) {
    await checkRankFiles(run, files)
    const file = files.listed.includes('summary.json') ? 'summary.json' : files.listed.find(name => SUMMARY_ALIAS.test(name))
    if (!file) return
    const summary = await files.readTyped(file, KvRunSummarySchema, 'a KV-cache run summary')
    if (!summary) return
    run.summaries.push({file: files.rel(file), format: KV_RUN_SUMMARY_FORMAT, summary})
    run.sources.summary = files.rel(file)
    run.status ??= 'COMPLETED'
    if (summary.total_ranks !== undefined) run.numProcesses ??= summary.total_ranks
    if (summary.host_count !== undefined) run.numHosts ??= summary.host_count
    if (summary.run_datetime) run.startedAt ??= parseTimestamp(summary.run_datetime)
    run.metrics = {...kvcacheSummaryMetrics(summary), ...run.metrics}
  },
}
