import {z} from 'zod'
import {CategorySchema, FindingSchema} from '../verify/finding.js'
import {CampaignPlaceSchema} from '../campaign/campaign-place.js'
import {RecordedStorageSchema} from '../storage/recorded-storage.js'
import {ProcessIdentitySchema} from '../launch/process-identity.js'

export const RUN_RECORD_SCHEMA_VERSION = 1

export const RunStatusSchema = z.enum(['PLANNED', 'RUNNING', 'COMPLETED', 'FAILED', 'INTERRUPTED'])
export type RunStatus = z.infer<typeof RunStatusSchema>

const ScalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()])
export const MetricValueSchema = z.union([ScalarSchema, z.array(z.union([z.number(), z.null()]))])

export const ExecutedCommandSchema = z.object({
  argv: z.array(z.string()),
  /** only the variables mlps set or forwarded, never the whole environment */
  env: z.record(z.string(), z.string()).default({}),
  cwd: z.string().optional(),
  exitCode: z.number().int().nullable().optional(),
  signal: z.string().nullable().optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
})
export type ExecutedCommand = z.input<typeof ExecutedCommandSchema>

/** One preflight check on one host as the run saw it: passed ones too, and those `preflight.skip` turned off. */
export const RecordedCheckSchema = z.object({
  check: z.string(),
  title: z.string(),
  /** where it ran; absent for a check `preflight.skip` turned off, which ran nowhere */
  host: z.string().optional(),
  status: z.enum(['ok', 'warn', 'fail', 'skip']),
  detail: z.string(),
  fix: z.string().optional(),
  engine: z.string().optional(),
  versions: z.record(z.string(), z.string()).optional(),
  skippedByConfig: z.literal(true).optional(),
})
export type RecordedCheck = z.infer<typeof RecordedCheckSchema>

/** The run record, `metadata.json` in every run leaf. */
export const RunRecordSchema = z.object({
  schemaVersion: z.literal(RUN_RECORD_SCHEMA_VERSION),
  runId: z.string(),
  mlps: z.object({version: z.string(), plugins: z.record(z.string(), z.string()).default({})}),
  benchmark: z.string(),
  command: z.string(),
  model: z.string().optional(),
  accelerator: z.string().optional(),
  division: z.enum(['closed', 'open']),
  engine: z.object({
    name: z.string(),
    version: z.string().optional(),
    closedEligible: z.boolean(),
  }).optional(),
  status: RunStatusSchema,
  /** the campaign that ran this invocation as one of its steps, and which step ("run 3 of 6") */
  campaign: CampaignPlaceSchema.optional(),
  statusReason: z.string().optional(),
  invocation: z.object({
    argv: z.array(z.string()),
    cwd: z.string(),
    hostname: z.string(),
    user: z.string().optional(),
    /** the mlps process that runs it, so a record left RUNNING by a killed process is told from a live run */
    process: ProcessIdentitySchema.optional(),
  }),
  commands: z.array(ExecutedCommandSchema).default([]),
  hosts: z.array(z.object({name: z.string(), slots: z.number().int().positive().optional()})).default([]),
  numProcesses: z.number().int().nonnegative().optional(),
  parameters: z.object({
    effective: z.record(z.string(), z.unknown()).default({}),
    userOverrides: z.record(z.string(), z.unknown()).default({}),
    toolInjected: z.record(z.string(), z.unknown()).default({}),
  }).prefault({}),
  /** where the storage under test was: a folder or an object-storage prefix, per storage path the benchmark declares */
  storage: z.array(RecordedStorageSchema).optional(),
  timings: z.object({
    startedAt: z.string(),
    endedAt: z.string().optional(),
    durationSeconds: z.number().nonnegative().optional(),
    phases: z.record(z.string(), z.number()).default({}),
  }),
  metrics: z.record(z.string(), MetricValueSchema).default({}),
  findings: z.array(FindingSchema).default([]),
  /** every preflight check of the run with its outcome; absent in records written before checks were recorded */
  checks: z.array(RecordedCheckSchema).optional(),
  category: CategorySchema,
  artifacts: z.array(z.string()).default([]),
  /** benchmark- and plugin-specific facts, keyed by the plugin that owns them */
  extra: z.record(z.string(), z.unknown()).default({}),
})
export type RunRecord = z.output<typeof RunRecordSchema>
export type RunRecordInput = z.input<typeof RunRecordSchema>

export const RUN_RECORD_FILE = 'metadata.json'
