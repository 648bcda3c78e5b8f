import {portableNameProblem} from '../results/portable-name.js'
import {z} from 'zod'

/** A folder name of the results tree: the rules' character set, never a dot-folder (those are mlps's private state). */
function treeFolderName() {
  return z.string().min(1).superRefine((name, ctx) => {
    const problem = portableNameProblem(name)
    if (problem) ctx.addIssue({code: 'custom', message: problem.message, params: {fix: problem.fix}, input: name})
  })
}

const pluginSection = z.record(z.string(), z.record(z.string(), z.unknown()))

/**
 * The site configuration. Defaults live here and nowhere else (oclif flags
 * carry none), so `mlps config show` can tell a default from a choice.
 */
export const MlpsConfigSchema = z.object({
  $schema: z.string().optional().describe('JSON Schema location, for editors'),
  resultsDir: z.string().min(1).default('mlps-results')
    .describe('Root of the results tree; relative paths are taken from the working directory'),
  // no defaults: the organization comes from the tree (`mlps init`), the system name must be given (src/results/tree-identity.ts)
  organization: treeFolderName().optional()
    .describe('Submitter organisation, the <org> folder of the results tree; `mlps init <organization>` records it in the tree'),
  systemName: treeFolderName().optional()
    .describe('System under test, the <system> folder of the results tree (--system-name); required in CLOSED'),
  division: z.enum(['closed', 'open']).default('closed').describe('Division the runs are meant for'),
  hosts: z.array(z.string().min(1)).min(1).default(['localhost'])
    .describe('Client hosts, e.g. ["node[01-04]:8"]; slots after a colon'),
  launcher: z.object({
    type: z.enum(['auto', 'local', 'openmpi', 'mpich', 'srun']).default('auto'),
    bin: z.string().optional().describe('mpirun/mpiexec/srun path when not on PATH'),
    extraArgs: z.array(z.string()).default([]).describe('passed to the launcher as argv, unchanged'),
    oversubscribe: z.boolean().default(false),
    allowRunAsRoot: z.enum(['auto', 'always', 'never']).default('auto'),
    envAllowList: z.array(z.string()).default([]).describe('environment variables forwarded to every rank'),
  }).strict().prefault({}),
  collector: z.enum(['local', 'mpi', 'ssh', 'none']).default('local').describe('How cluster facts are collected'),
  sampleIntervalSeconds: z.number().positive().default(10).describe('Time-series sampling interval'),
  rulesEdition: z.string().min(1).default('3.0').describe('Rules edition used by verify'),
  ssh: z.object({
    user: z.string().optional(),
    port: z.number().int().min(1).max(65535).default(22),
    identityFile: z.string().optional(),
    knownHostsFile: z.string().optional(),
    strictHostKeyChecking: z.enum(['yes', 'accept-new']).default('yes'),
    connectTimeoutSeconds: z.number().positive().default(10),
    concurrency: z.number().int().positive().default(32),
  }).strict().prefault({}),
  engines: pluginSection.default({}).describe('Per-engine settings, e.g. {"dlio": {"bin": "/opt/dlio/bin/dlio_benchmark"}}'),
  benchmarks: pluginSection.default({}).describe('Per-benchmark defaults, e.g. {"training": {"dataDir": "/mnt/sut"}}'),
  progress: z.enum(['auto', 'tty', 'plain', 'none']).default('auto'),
  objectStorage: z.object({
    endpoint: z.url({protocol: /^https?$/}).optional()
      .describe('S3-compatible endpoint, e.g. http://10.0.0.5:9000; required unless allowAws is set, so traffic never goes to AWS by accident'),
    region: z.string().min(1).default('us-east-1'),
    forcePathStyle: z.boolean().default(true).describe('address buckets as <endpoint>/<bucket> (most non-AWS endpoints need it) rather than <bucket>.<endpoint>'),
    credentials: z.enum(['environment', 'file']).default('environment')
      .describe('environment: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN); file: the shared credentials file (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials). Values are never recorded'),
    profile: z.string().min(1).optional().describe('profile of the credentials file (default: AWS_PROFILE or "default")'),
    allowAws: z.boolean().default(false).describe('allow an AWS endpoint (or no endpoint at all, which means AWS)'),
  }).strict().optional().describe('S3-compatible object storage, used when a data dir or checkpoint folder is an s3://bucket/prefix URI'),
  preflight: z.object({
    skip: z.array(z.string().min(1)).default([])
      .describe('preflight check ids not to run before a benchmark (e.g. mlps.freeSpace on thin-provisioned storage); each skip is recorded as a warning'),
  }).strict().prefault({}),
}).strict()

export type MlpsConfig = z.output<typeof MlpsConfigSchema>
export type MlpsConfigInput = z.input<typeof MlpsConfigSchema>

/** The JSON Schema editors use. */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(MlpsConfigSchema, {io: 'input', target: 'draft-2020-12'}) as Record<string, unknown>
}
