export {type DlioLogEvent, dlioLogEvent, type DlioLogLine, type DlioLogSummary, parseDlioLog, readDlioLog, splitDlioLogLine} from './dlio-log.js'
export {type DlioRunFiles, findDlioRunFiles} from './dlio-run-files.js'
export {
  type HydraOverride, type HydraOverrideList, type HydraRuntime, parseHydraComposedConfig, parseHydraOverride, parseHydraOverrideList,
  parseHydraRuntime, readHydraComposedConfig, readHydraOverrideList, readHydraRuntime,
} from './hydra-config.js'
export {type EpochPhase, type EpochStats, parsePerEpochStats, readPerEpochStats} from './per-epoch-stats.js'
