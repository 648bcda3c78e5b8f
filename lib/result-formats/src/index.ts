/**
 * The result files of the engines first-party plugins drive, shared by the
 * benchmarks that report them, the engines that write them and the rules
 * editions that judge them. Not an oclif plugin: a library, versioned with
 * them. Its API follows what those plugins need and may change with them.
 */
export {type DlioLogEvent, dlioLogEvent, type DlioLogLine, type DlioLogSummary, parseDlioLog, readDlioLog, splitDlioLogLine} from './dlio/dlio-log.js'
export {type ImpossibleFigure, type MissingInputs, type ThroughputBound, throughputPossible} from './bounds/throughput-possible.js'
export {checkpointThroughputBound} from './dlio/checkpoint-figures.js'
export {impossibleTrainingFigures, missingDlioResultFiles, trainingThroughputBound, trainingThroughputInputs} from './dlio/dlio-figures.js'
export {type DlioRunFiles, findDlioRunFiles} from './dlio/dlio-run-files.js'
export {type DlioSummary, DlioSummarySchema, parseDlioSummary, readDlioSummary, summaryMetrics} from './dlio/dlio-summary.js'
export {
  type HydraOverride, type HydraOverrideList, type HydraRuntime, parseHydraComposedConfig, parseHydraOverride, parseHydraOverrideList,
  parseHydraRuntime, readHydraComposedConfig, readHydraOverrideList, readHydraRuntime,
} from './dlio/hydra-config.js'
export {type EpochPhase, type EpochStats, parsePerEpochStats, readPerEpochStats} from './dlio/per-epoch-stats.js'
export {DLIO_SUMMARY_FORMAT, dlioResultsReader, dlioSummariesOf} from './dlio/read-dlio-run.js'
export {
  KV_OPTION_METRICS, KV_RUN_SUMMARY_FORMAT, type KvOptionSummary, KvOptionSummarySchema, kvcacheSummaryMetrics, type KvRunSummary,
  KvRunSummarySchema, kvRunSummaryOf,
} from './kvcache/kvcache-summary.js'
export {impossibleKvFigures, KV_RANK_FIGURES_DOCUMENT, type KvRankFigures, kvThroughputBound} from './kvcache/kvcache-figures.js'
export {VECTORDB_SUMMARY_FORMAT, type VectordbSummary, VectordbSummarySchema, vectordbSummaryMetrics, vectordbSummaryOf} from './vectordb/vectordb-summary.js'
