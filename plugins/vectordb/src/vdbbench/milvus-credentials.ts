/**
 * Milvus credentials come from the environment only (MILVUS_TOKEN, or
 * MILVUS_USER and MILVUS_PASSWORD) — never from flags or the config file, so
 * they never reach argv, the history or the run record. The scripts inherit
 * the same environment.
 */
export function milvusToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.MILVUS_TOKEN) return env.MILVUS_TOKEN
  if (env.MILVUS_USER) return `${env.MILVUS_USER}:${env.MILVUS_PASSWORD ?? ''}`
  return undefined
}

/** Names of the credential variables that are set, for the record (never their values). */
export function credentialSource(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MILVUS_TOKEN) return 'MILVUS_TOKEN'
  if (env.MILVUS_USER) return 'MILVUS_USER/MILVUS_PASSWORD'
  return 'none'
}

/** Forwarded by name to every host's query process (mpi: `-x NAME`), so the values stay out of argv. */
export const MILVUS_CREDENTIAL_VARIABLES = ['MILVUS_TOKEN', 'MILVUS_USER', 'MILVUS_PASSWORD'] as const
