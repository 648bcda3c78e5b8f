/**
 * The mlps plugin API. Only what is exported here is the contract; plugins
 * reach the running CLI's copy of it through `import ... from 'mlps'`.
 */
export {Args, Flags} from '@oclif/core'
export {z} from 'zod'
export {BenchmarkCommand, type BenchmarkCommandResult, type BenchmarkFlags, type RunDescription} from './command/benchmark-command.js'
export {MlpsCommand} from './command/mlps-command.js'
export {loadConfig, type FlagValue, type ResolvedConfig} from './config/load-config.js'
export {type MlpsConfig, MlpsConfigSchema} from './config/schema.js'
export {MlpsError} from './errors.js'
export {ExitCode, exitCodeDescriptions} from './exit-codes.js'
export {parseHosts} from './hosts/parse-hosts.js'
export {createLifecycle, type Lifecycle, LifecycleStage, type Verdict} from './lifecycle/lifecycle.js'
export type {HostSlot, RunContext} from './lifecycle/run-context.js'
export {
  type BenchmarkDefinition, type CollectorDefinition, definePlugin, type EngineDefinition, type EnginePlan,
  type EngineResult, type HostSnapshotRequest, type MetricValue, type PluginContribution, type RulesEdition,
} from './registry/definitions.js'
export {getRegistry} from './registry/load-registry.js'
export {PLUGIN_API_VERSION, Registry} from './registry/registry.js'
export {writeFileAtomic, writeJsonAtomic} from './results/atomic-write.js'
export {commandDir, createRunLeaf, type LeafLocation, timestampName} from './results/run-leaf.js'
export {type ExecutedCommand, RUN_RECORD_FILE, RUN_RECORD_SCHEMA_VERSION, type RunRecord, RunRecordSchema, type RunStatus} from './results/run-record.js'
export {formatBytes, formatCount, formatDuration} from './ux/format.js'
export type {Logger} from './ux/logger.js'
export {createProgress, type Progress, type ProgressMode, type ProgressUpdate} from './ux/progress.js'
export {type Category, categorize, type Evidence, type Finding, FindingSchema, type Severity} from './verify/finding.js'
export type * from './workload/dlio-workload.js'
export {UnavailableCommand} from './command/unavailable-command.js'
export {type Executor, type LifecycleOutcome, runLifecycle} from './lifecycle/run-lifecycle.js'
export {type DlioSummary, DlioSummarySchema, parseDlioSummary, readDlioSummary, summaryMetrics} from './engine-output/dlio-summary.js'
export {parseTolerantJson} from './engine-output/tolerant-json.js'
export * from './cluster/index.js'
export * from './launch/index.js'
export * from './report/index.js'
export * from './verify/index.js'
export {type AppliedParam, applyParams, type ParamAssignment, ParamError, type ParamValue, parseParam} from './workload/params.js'
