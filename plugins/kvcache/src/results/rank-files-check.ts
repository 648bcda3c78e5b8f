import {KV_RANK_FIGURES_DOCUMENT, type KvRankFigures} from '@mlps/result-formats'
import {type LoadedRun, MlpsError, type RunFiles} from 'mlps'
import {rankResultFrom} from '../output/rank-result.js'

/** a rank's results as kv-cache.py (and the native engine) write them: `option_<O>/trial_<T>/rank_<N>/kvcache_results_<ts>.json` */
const RANK_RESULTS = /^option_(\d+)\/trial_(\d+)\/rank_(\d+)\/kvcache_results_[^/]*\.json$/

/**
 * The per-rank results a KV-cache leaf's summary was aggregated from: each one a results file that
 * parses and holds what the aggregate reads, so a truncated or non-JSON file is named, never left out
 * of a smaller aggregate (a rank with no file at all is the rules' 6.3.3 kvcacheRankCompleteness).
 * What each says is kept on the run, for the rules' throughput bound.
 */
export async function checkRankFiles(run: LoadedRun, files: RunFiles): Promise<void> {
  const figures: KvRankFigures[] = []
  const byRank = new Map<string, string>()
  // the first of a folder (files are listed sorted), as the aggregation takes it (load-pass.ts)
  for (const file of files.listed.filter(name => RANK_RESULTS.test(name))) {
    const folder = file.slice(0, file.lastIndexOf('/'))
    if (!byRank.has(folder)) byRank.set(folder, file)
  }
  for (const file of byRank.values()) {
    const document = await files.readObject(file)
    if (!document) continue
    try {
      const result = rankResultFrom(document, files.rel(file))
      const [, option, trial, rank] = RANK_RESULTS.exec(file)!.map(Number)
      figures.push({
        file: files.rel(file), option, trial, rank, totalTokens: result.totalTokens, totalRequests: result.totalRequests, elapsedSeconds: result.elapsedSeconds,
        avgThroughputTokensPerSecond: result.avgThroughputTokensPerSecond, requestsPerSecond: result.requestsPerSecond,
        storageReadGiB: result.storageBytesReadGiB, storageWrittenGiB: result.storageBytesWrittenGiB,
        storageReadGiBps: result.storageReadBandwidthGiBps, storageWriteGiBps: result.storageWriteBandwidthGiBps,
      })
    } catch (error) {
      if (!(error instanceof MlpsError)) throw error
      files.problem(file, `${error.message}, so the option's aggregate in summary.json cannot be checked against it`)
    }
  }
  if (figures.length > 0) run.documents[KV_RANK_FIGURES_DOCUMENT] = figures
}
