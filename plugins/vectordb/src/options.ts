import {z} from 'mlps'

/** `benchmarks.vectordb` in the site config. */
export const VectordbOptionsSchema = z.object({
  engine: z.string().min(1).default('native').describe('engine used when --engine is not given: native (embedded store) or vdbbench (Milvus)'),
  dataDir: z.string().min(1).optional().describe('where the native engine keeps its vector store (the storage under test)'),
  host: z.string().min(1).optional().describe('Milvus host for vdbbench'),
  port: z.number().int().min(1).max(65535).optional().describe('Milvus gRPC port for vdbbench'),
  uri: z.string().url().optional().describe('Milvus URI (http://host:port) for vdbbench; credentials come from MILVUS_TOKEN or MILVUS_USER/MILVUS_PASSWORD, never from here'),
}).strict()

export type VectordbOptions = z.output<typeof VectordbOptionsSchema>

/** `engines.vdbbench` in the site config: where the user's v3.0 VectorDB scripts are. */
export const VdbbenchOptionsSchema = z.object({
  commandPrefix: z.array(z.string().min(1)).default([]).describe('argv put before every script, e.g. [uv, run] as mlpstorage does'),
  binDir: z.string().min(1).optional().describe('folder holding load-vdb and vdbbench (default: PATH)'),
  configFile: z.string().min(1).optional().describe('a vdbbench YAML passed as --config (e.g. configs/vectordbbench/default.yaml)'),
  readyTimeoutSeconds: z.number().positive().default(5).describe('how long the Milvus reachability check waits'),
  orchestration: z.enum(['auto', 'local', 'mpi', 'ssh']).default('auto').describe('how the query run reaches --hosts: local (this machine), mpi (the launcher, one rank per host), ssh (the OpenSSH client); auto = local when every host is this machine, else mpi when a launcher is found, else ssh'),
  python: z.string().min(1).default('python3').describe('the Python on every host that runs the per-host shim under --orchestration mpi'),
}).strict()

export type VdbbenchOptions = z.output<typeof VdbbenchOptionsSchema>
