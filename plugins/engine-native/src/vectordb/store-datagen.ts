import {mkdir, readFile, rm} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {abortErrorFrom} from '../io/abort.js'
import {assertFreeSpace} from '../io/free-space.js'
import {buildIndex, bytesOnDisk, connectStore, createEmptyTable, LANCE_INDEX_NAME, tableFolder, vectorRows} from './lance-store.js'
import {manifestPath, readStoreManifest, type StoreManifest, writeStoreManifest} from './store-manifest.js'
import {VectorSource} from './vector-source.js'
import type {NativeIndexType, NativeVectordbOptions} from './vectordb-options.js'

export interface StoreDatagenProgress {
  phase: 'load' | 'index'
  vectorsDone: number
  vectorsTotal: number
}

export interface StoreDatagenResult {
  manifest: StoreManifest
  manifestFile: string
  tableFolder: string
  insertedVectors: number
}

/** Lance stores float32 vectors plus an int64 id; the index roughly doubles that for IVF_FLAT (it keeps a copy). */
export function plannedStoreBytes(options: Pick<NativeVectordbOptions, 'numVectors' | 'dimension' | 'indexType'>): number {
  const rows = options.numVectors * (options.dimension * 4 + 8)
  return options.indexType === 'FLAT' ? rows : rows * 2
}

/** The installed @lancedb/lancedb version (its exports hide package.json, so it is read beside the entry point). */
export async function lanceVersion(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('@lancedb/lancedb')
  const manifest = JSON.parse(await readFile(join(dirname(entry), '..', 'package.json'), 'utf8')) as {name: string; version: string}
  return manifest.name === '@lancedb/lancedb' ? manifest.version : 'unknown'
}

/**
 * datagen for the native vector store: generate the vectors chunk by chunk,
 * insert them batch by batch (the load, timed), build the index (timed), and
 * only then write the manifest that marks the collection complete.
 */
export async function generateVectorStore(options: NativeVectordbOptions, signal: AbortSignal, onProgress: (p: StoreDatagenProgress) => void): Promise<StoreDatagenResult> {
  const indexType = options.indexType as NativeIndexType
  const folder = tableFolder(options.dataDir, options.collection)
  await mkdir(options.dataDir, {recursive: true})
  const existing = await readStoreManifest(options.dataDir, options.collection)
  if (existing && !options.force) {
    throw new Error(`collection ${options.collection} already exists in ${options.dataDir} (${existing.numVectors} vectors, ${existing.indexType}); pass --force to drop and recreate it`)
  }
  await rm(manifestPath(options.dataDir, options.collection), {force: true})
  await rm(folder, {recursive: true, force: true})
  await assertFreeSpace(options.dataDir, plannedStoreBytes(options))

  const db = await connectStore(options.dataDir)
  const table = await createEmptyTable(db, options.collection, options.dimension)
  try {
    const source = new VectorSource(options.seed, options.distribution, options.dimension)
    const loadStart = performance.now()
    let inserted = 0
    while (inserted < options.numVectors) {
      const chunk = source.next(Math.min(options.chunkSize, options.numVectors - inserted))
      for (let offset = 0; offset < chunk.length; offset += options.loadBatchSize * options.dimension) {
        if (signal.aborted) throw abortErrorFrom(signal, 'vector load')
        const batch = chunk.subarray(offset, Math.min(chunk.length, offset + options.loadBatchSize * options.dimension))
        await table.add(vectorRows(inserted, batch, options.dimension))
        inserted += batch.length / options.dimension
        onProgress({phase: 'load', vectorsDone: inserted, vectorsTotal: options.numVectors})
      }
    }
    const loadSeconds = (performance.now() - loadStart) / 1000
    onProgress({phase: 'index', vectorsDone: inserted, vectorsTotal: options.numVectors})
    const indexStart = performance.now()
    // √N partitions, the usual IVF rule of thumb (also what --nlist says it defaults to)
    const nlist = options.indexParams.nlist ?? Math.max(1, Math.round(Math.sqrt(options.numVectors)))
    await buildIndex(table, indexType, options.metricType, {...options.indexParams, nlist})
    const indexBuildSeconds = (performance.now() - indexStart) / 1000
    if (signal.aborted) throw abortErrorFrom(signal, 'index build')
    const rows = await table.countRows()
    if (rows !== options.numVectors) throw new Error(`the store holds ${rows} rows after loading ${options.numVectors}`)
    const manifest: StoreManifest = {
      schemaVersion: 1,
      collection: options.collection,
      store: {library: '@lancedb/lancedb', version: await lanceVersion()},
      numVectors: rows,
      dimension: options.dimension,
      distribution: options.distribution,
      metricType: options.metricType,
      indexType,
      lanceIndex: LANCE_INDEX_NAME[indexType],
      indexParams: indexType === 'HNSW' ? {...options.indexParams, nlist} : indexType === 'IVF_FLAT' ? {nlist} : {},
      seed: options.seed,
      loadSeconds,
      indexBuildSeconds,
      bytesOnDisk: await bytesOnDisk(folder),
      createdAt: new Date().toISOString(),
    }
    await writeStoreManifest(options.dataDir, manifest)
    return {manifest, manifestFile: manifestPath(options.dataDir, options.collection), tableFolder: folder, insertedVectors: inserted}
  } finally {
    table.close()
    db.close()
  }
}
