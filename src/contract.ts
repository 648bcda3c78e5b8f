/**
 * The types of the plugin contract: what a benchmark, an engine, a
 * collector, a rules edition and a check are, and what the core hands them
 * (the run context, the loaded runs, findings, rule outcomes). Type-only:
 * importing it loads nothing.
 */
export type {BenchmarkCommandFlags, BenchmarkCommandResult, BenchmarkFlags, RunDescription} from './command/benchmark-command.js'
export type {DecidingRule, HeadlineOutput} from './command/headline-output.js'
export type {FlagValue, ResolvedConfig} from './config/load-config.js'
export type {MlpsConfig} from './config/schema.js'
export type {ClockOffset, ClusterSnapshot, HostFacts, HostFailure, HostFailureReason, HostStable, HostVolatile} from './cluster/host-facts.js'
export type {HostSample, TimeSeries} from './cluster/time-series.js'
export type {CheckContext, CheckMode, CheckResult, CheckRow, CheckStatus, MlpsIdentity, PreflightCheck} from './doctor/check.js'
export type {HostShell, ShellResult} from './doctor/host-shell.js'
export type {OsFamily, OsInfo} from './doctor/os-detect.js'
export type {Lifecycle, Verdict} from './lifecycle/lifecycle.js'
export type {EngineDefinition, EnginePlan, EngineResult, Executor, HostsOrigin, HostSlot, PlannedWrite, RunContext} from './lifecycle/run-context.js'
export type * from './registry/benchmark-results.js'
export type {
  BenchmarkDefinition, CollectorDefinition, HostSampler, HostSnapshotRequest, MetricValue, PluginContribution, RulesEdition, RulesExtension, SamplerRequest,
  SystemDescriptionFormat, SystemDescriptionTarget,
} from './registry/definitions.js'
export type {ExecutedCommand, RunRecord, RunStatus} from './results/run-record.js'
export type {ReadinessNeed, ReadinessSubject} from './status/readiness-need.js'
export type {Logger} from './ux/logger.js'
export type {HostProgress, Progress, ProgressEvent, ProgressFigure, ProgressMode, ProgressSnapshot, ProgressUpdate} from './ux/progress.js'
export type {Category, Evidence, Finding, Severity} from './verify/finding.js'
export type {Division, InstalledBenchmark, LoadedRun, LoadedTree, RunGroup, RunLayout, RunSummary, SystemDescription} from './verify/loaded-run.js'
export type {PathContext} from './verify/path-context.js'
export type {AnyRule, Rule, RuleContext, RuleOutcome, RuleScope, RuleSubjects} from './verify/rule.js'
