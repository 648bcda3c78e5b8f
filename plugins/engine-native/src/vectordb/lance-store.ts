import {readdir, stat} from 'node:fs/promises'
import {join} from 'node:path'
import type {Connection, Table} from '@lancedb/lancedb'
import {Field, FixedSizeList, Float32, Int64, makeData, RecordBatch, Schema, Struct, Table as ArrowTable} from 'apache-arrow'
import type {MetricType, NativeIndexType} from './vectordb-options.js'

/**
 * The embedded vector store behind the native vectordb path: LanceDB
 * (@lancedb/lancedb 0.37.1, the newest release whose `engines` allows Node 20),
 * one table `<collection>.lance` in the data dir, an on-disk index read with
 * preads at query time — so the storage under test serves the queries.
 */

const LANCE_DISTANCE: Record<MetricType, 'l2' | 'dot' | 'cosine'> = {L2: 'l2', IP: 'dot', COSINE: 'cosine'}

/** What each index type is called inside Lance, for the record. */
export const LANCE_INDEX_NAME: Record<NativeIndexType, string> = {FLAT: 'none (exact scan)', IVF_FLAT: 'IVF_FLAT', HNSW: 'IVF_HNSW_SQ'}

export interface SearchParams {
  indexType: NativeIndexType
  metricType: MetricType
  limit: number
  nprobe: number
  ef: number
}

/** The library, loaded once its logger is told to keep quiet: it reads LANCEDB_LOG when it first loads. */
export async function loadLance(): Promise<typeof import('@lancedb/lancedb')> {
  // Lance logs notices (deprecations per query, k-means cluster hints) at WARN; they are noise in a benchmark's output
  process.env.LANCEDB_LOG ??= 'error'
  return import('@lancedb/lancedb')
}

export async function connectStore(dataDir: string): Promise<Connection> {
  const lancedb = await loadLance()
  return lancedb.connect(dataDir)
}

export function tableFolder(dataDir: string, collection: string): string {
  return join(dataDir, `${collection}.lance`)
}

function vectorSchema(dimension: number): Schema {
  const listType = new FixedSizeList(dimension, new Field('item', new Float32(), true))
  return new Schema([new Field('id', new Int64(), false), new Field('vector', listType, false)])
}

/** Rows firstId.. of `vectors` (row-major, `dimension` wide) as one Arrow table, without copying the floats. */
export function vectorRows(firstId: number, vectors: Float32Array, dimension: number): ArrowTable {
  const count = vectors.length / dimension
  const schema = vectorSchema(dimension)
  const ids = new BigInt64Array(count)
  for (let i = 0; i < count; i++) ids[i] = BigInt(firstId + i)
  const listType = schema.fields[1].type as FixedSizeList
  const values = makeData({type: new Float32(), length: vectors.length, data: vectors})
  const lists = makeData({type: listType, length: count, child: values})
  const idData = makeData({type: new Int64(), length: count, data: ids})
  const rows = makeData({type: new Struct(schema.fields), length: count, children: [idData, lists]})
  return new ArrowTable(schema, [new RecordBatch(schema, rows)])
}

export async function createEmptyTable(db: Connection, collection: string, dimension: number): Promise<Table> {
  return db.createEmptyTable(collection, vectorSchema(dimension), {mode: 'overwrite'})
}

export async function buildIndex(table: Table, indexType: NativeIndexType, metricType: MetricType, params: {M: number; efConstruction: number; nlist?: number}): Promise<void> {
  if (indexType === 'FLAT') return
  const {Index} = await loadLance()
  const distanceType = LANCE_DISTANCE[metricType]
  const config = indexType === 'IVF_FLAT'
    ? Index.ivfFlat({distanceType, numPartitions: params.nlist})
    : Index.hnswSq({distanceType, numPartitions: params.nlist, m: params.M, efConstruction: params.efConstruction})
  await table.createIndex('vector', {config, replace: true})
}

/** The ids of the `limit` nearest rows for each of the `vectors.length / dimension` queries, in query order. */
export async function searchBatch(table: Table, vectors: Float32Array, dimension: number, params: SearchParams): Promise<number[][]> {
  const count = vectors.length / dimension
  let query = table.vectorSearch(vectors.subarray(0, dimension))
  for (let q = 1; q < count; q++) query = query.addQueryVector(vectors.subarray(q * dimension, (q + 1) * dimension))
  query = query.distanceType(LANCE_DISTANCE[params.metricType]).limit(params.limit).select(['id', '_distance'])
  if (params.indexType === 'FLAT') query = query.bypassVectorIndex()
  else query = query.nprobes(params.nprobe)
  if (params.indexType === 'HNSW') query = query.ef(params.ef)
  const result = await query.toArrow()
  const hits: number[][] = Array.from({length: count}, () => [])
  const ids = result.getChild('id')!
  const queryIndex = count > 1 ? result.getChild('query_index') : null
  for (let row = 0; row < result.numRows; row++) hits[queryIndex ? Number(queryIndex.get(row)) : 0].push(Number(ids.get(row)))
  return hits
}

/** Every stored vector, batch by batch, as (ids, row-major floats); what the exact search reads. */
export async function* scanVectors(table: Table, dimension: number): AsyncGenerator<{ids: Float64Array; vectors: Float32Array}> {
  for await (const batch of table.query().select(['id', 'vector'])) {
    const idColumn = batch.getChild('id')!
    const vectorColumn = batch.getChild('vector')!
    const ids = new Float64Array(batch.numRows)
    for (let i = 0; i < batch.numRows; i++) ids[i] = Number(idColumn.get(i))
    const vectors = new Float32Array(batch.numRows * dimension)
    let row = 0
    for (const data of vectorColumn.data) {
      const floats = data.children[0].values as Float32Array
      vectors.set(floats.subarray(data.offset * dimension, (data.offset + data.length) * dimension), row * dimension)
      row += data.length
    }
    yield {ids, vectors}
  }
}

/** Bytes of every file under `folder`: what the collection occupies on the storage under test. */
export async function bytesOnDisk(folder: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(folder, {withFileTypes: true, recursive: true})) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size
  }
  return total
}
