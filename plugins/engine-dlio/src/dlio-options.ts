import {z} from 'mlps'

/** `engines.dlio` in the site config. */
export const DlioOptionsSchema = z.object({
  bin: z.string().min(1).optional().describe('dlio_benchmark to run, or the folder that holds it; wins over PATH (the reference let PATH win, mlpstorage-spec.md §12.1 item 25)'),
  python: z.string().min(1).optional().describe('Python used to check that dlio_benchmark, mpi4py and hydra import (default: the one on dlio_benchmark\'s #! line)'),
  configDir: z.string().min(1).optional().describe('an existing DLIO config dir (config.yaml, workload/<name>.yaml) to use instead of the one mlps writes into each run leaf'),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name'), z.string()).default({})
    .describe('variables set for DLIO on every rank, e.g. {"DLIO_LOG_LEVEL": "info"}; recorded in the run record, secret-looking names masked'),
  watchdogMinutes: z.number().positive().optional().describe('flag the run when DLIO prints nothing and does no I/O for this long'),
  watchdogAction: z.enum(['warn', 'stop']).default('warn').describe('warn: add a finding and go on; stop: stop the run, which then FAILS'),
  terminateGraceSeconds: z.number().positive().default(30).describe('after SIGTERM, how long mpirun gets to stop its ranks before SIGKILL'),
  objectStorage: z.object({
    library: z.enum(['s3dlio', 'minio', 's3torchconnector']).default('s3dlio')
      .describe('storage.storage_options.storage_library: the Python library DLIO reads and writes objects with (s3torchconnector: NPZ/NPY training data only)'),
    uriScheme: z.string().regex(/^[a-z][a-z0-9+.-]*$/, 'a URI scheme without "://", e.g. s3').default('s3')
      .describe('storage.storage_options.uri_scheme: s3; s3dlio also reads az, gs and file'),
    credentialsEnv: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name')).default(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'])
      .describe('variables forwarded to every rank by name (values are never recorded)'),
  }).strict().prefault({}).describe('how DLIO reaches a bucket when the data dir or checkpoint folder is s3://bucket/prefix; the endpoint, region and path style come from objectStorage'),
}).strict()

export type DlioOptions = z.output<typeof DlioOptionsSchema>
