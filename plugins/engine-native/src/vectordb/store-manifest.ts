import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {ExitCode, MlpsError, z} from 'mlps'
import {writeJsonAtomic} from 'mlps/unstable'
import {DISTRIBUTIONS, METRIC_TYPES, NATIVE_INDEX_TYPES} from './vectordb-options.js'

/**
 * What datagen built, written beside the table once the load and the index
 * build are complete: a run compares its config with it before querying,
 * as vdbbench compares row count, dimension and index with Milvus (§5.3).
 */
export const StoreManifestSchema = z.object({
  schemaVersion: z.literal(1),
  collection: z.string(),
  store: z.object({library: z.string(), version: z.string()}),
  numVectors: z.number().int(),
  dimension: z.number().int(),
  distribution: z.enum(DISTRIBUTIONS),
  metricType: z.enum(METRIC_TYPES),
  indexType: z.enum(NATIVE_INDEX_TYPES),
  lanceIndex: z.string(),
  indexParams: z.record(z.string(), z.unknown()),
  seed: z.number().int(),
  loadSeconds: z.number(),
  indexBuildSeconds: z.number(),
  bytesOnDisk: z.number(),
  createdAt: z.string(),
})

export type StoreManifest = z.output<typeof StoreManifestSchema>

export function manifestPath(dataDir: string, collection: string): string {
  return join(dataDir, `${collection}.mlps-vdb.json`)
}

export async function writeStoreManifest(dataDir: string, manifest: StoreManifest): Promise<void> {
  await writeJsonAtomic(manifestPath(dataDir, manifest.collection), manifest)
}

/** The manifest, or undefined when datagen has not completed for this collection. */
export async function readStoreManifest(dataDir: string, collection: string): Promise<StoreManifest | undefined> {
  const file = manifestPath(dataDir, collection)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  const parsed = StoreManifestSchema.safeParse(JSON.parse(text))
  if (!parsed.success) {
    throw new MlpsError(`${file} is not a native vector-store manifest: ${parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
      exitCode: ExitCode.EnvironmentNotReady, fix: 'run `mlps vectordb datagen --force` again for this collection',
    })
  }
  return parsed.data
}
