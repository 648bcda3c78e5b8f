/**
 * Internals that first-party plugins share: launchers, collectors' helpers,
 * the results tree, report cells, doctor helpers and more. UNSTABLE: any of
 * it may change in any release, without notice. A plugin that wants to keep
 * working across mlps versions uses only `mlps` (the contract) and pins the
 * mlps version when it reaches in here.
 */
export {Args, Flags} from '@oclif/core'
export type {Interfaces} from '@oclif/core'
export {z} from 'zod'
export {BenchmarkCommand, type BenchmarkCommandFlags, type BenchmarkCommandResult, type BenchmarkFlags, type RunDescription} from './command/benchmark-command.js'
export {MlpsCommand} from './command/mlps-command.js'
export {loadConfig, type FlagValue, type ResolvedConfig} from './config/load-config.js'
export {type MlpsConfig, MlpsConfigSchema} from './config/schema.js'
export {MlpsError} from './errors.js'
export {type ByteRange, type MultipartUpload, type ObjectInfo, type ObjectStorageConfig, type ObjectStore, objectStorageEndpoint, openObjectStore} from './storage/s3-client.js'
export {ExitCode, exitCodeDescriptions} from './exit-codes.js'
export {parseHostfile, readHostfile} from './hosts/hostfile.js'
export {parseHosts} from './hosts/parse-hosts.js'
export {type HostRanks, placeRanks, type RankPlacement} from './hosts/placement.js'
export {createLifecycle, type Lifecycle, LifecycleStage, type Verdict} from './lifecycle/lifecycle.js'
export type {HostSlot, PlannedWrite, RunContext} from './lifecycle/run-context.js'
export type * from './registry/benchmark-results.js'
export {
  type BenchmarkDefinition, type CollectorDefinition, definePlugin, type EngineDefinition, type EnginePlan,
  type EngineResult, type HostSnapshotRequest, type MetricValue, type PluginContribution, type RulesEdition, type RulesExtension,
} from './registry/definitions.js'
export {getRegistry} from './registry/load-registry.js'
export {PLUGIN_API_VERSION, Registry} from './registry/registry.js'
export {writeFileAtomic, writeJsonAtomic} from './results/atomic-write.js'
export {commandDir, createRunLeaf, type LeafLocation, timestampName} from './results/run-leaf.js'
export {type ExecutedCommand, RUN_RECORD_FILE, RUN_RECORD_SCHEMA_VERSION, type RunRecord, RunRecordSchema, type RunStatus} from './results/run-record.js'
export {readTreeSentinel, type TreeSentinel, treeSentinelPath} from './results/tree-sentinel.js'
export {treeNames} from './results/tree-identity.js'
export {formatBytes, formatCount, formatDuration} from './ux/format.js'
export type {Logger} from './ux/logger.js'
export {createProgress, type Progress, type ProgressMode, type ProgressUpdate} from './ux/progress.js'
export {type Category, categorize, type Evidence, type Finding, FindingSchema, type Severity} from './verify/finding.js'
export {type Executor, leafLocation, type LifecycleOutcome, plannedLeaf, runLifecycle} from './lifecycle/run-lifecycle.js'
export {parseTolerantJson} from './util/tolerant-json.js'
export * from './cluster/index.js'
export * from './launch/index.js'
export * from './report/index.js'
export * from './verify/index.js'
export * from './doctor/index.js'
export {mapWithConcurrency} from './util/map-with-concurrency.js'
export {nearestExisting} from './util/nearest-existing.js'
export {CampaignCommand, type CampaignCommandFlags, type CampaignResult} from './campaign/campaign-command.js'
export type {CampaignPlan, CampaignStep, FinishedStep, FlagArgument} from './campaign/campaign-plan.js'
export {type CampaignPlace, CampaignPlaceSchema} from './campaign/campaign-place.js'
export {type CampaignRecord, CampaignRecordSchema, campaignFile, campaignsDir, readCampaignRecords} from './campaign/campaign-record.js'
export {nearestName} from './util/nearest-name.js'
export {LIMITS} from './command/limits.js'
export {isSecretKey, redactSecrets, redactText} from './util/redact-secrets.js'
