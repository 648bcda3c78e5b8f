import {cpSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {edit} from './valid-tree.js'
import {writeSystemFiles} from './system-files.js'

// A CLOSED-shaped vector-database submission derived from the real native workload in
// fixtures/vectordb-native-run (one datagen, five HNSW runs). The native engine (an embedded store,
// not Milvus) can never be CLOSED, so each run record is rewritten to what a CLOSED vdbbench run on
// Milvus records and the leaves move under vector_database/milvus/HNSW/; the summaries, statistics and
// verdicts stay the real ones.

export const NATIVE_VDB_WORKLOAD = join(import.meta.dirname, '../../fixtures/vectordb-native-run/closed/local/results/vm/vector_database/native/HNSW')
export const VDB_WORKLOAD = 'closed/acme/results/sys1/vector_database/milvus/HNSW'
export const VDB_DATAGEN = `${VDB_WORKLOAD}/datagen/${readdirSync(join(NATIVE_VDB_WORKLOAD, 'datagen'))[0]}`
export const VDB_RUNS = readdirSync(join(NATIVE_VDB_WORKLOAD, 'run')).sort().map(stamp => `${VDB_WORKLOAD}/run/${stamp}`)

export function writeValidVdbTree(root: string): void {
  writeSystemFiles(root, 'closed/acme', 'sys1')
  cpSync(NATIVE_VDB_WORKLOAD, join(root, VDB_WORKLOAD), {recursive: true})
  for (const leaf of [VDB_DATAGEN, ...VDB_RUNS]) {
    edit(root, `${leaf}/metadata.json`, record => {
      record.engine = {name: 'vdbbench', closedEligible: true}
      record.category = 'CLOSED'
      record.findings = []
      Object.assign(record.parameters.effective, {engine: 'vdbbench', backend: 'milvus'})
      // the real run passed --seed 42, the reference default; CLOSED tunables only otherwise
      record.parameters.userOverrides = leaf === VDB_DATAGEN ? {numVectors: 5000, dimension: 32, indexType: 'HNSW'} : {numVectors: 5000, dimension: 32, indexType: 'HNSW', processes: 1, runtime: 1}
    })
  }
}
