import {rmSync} from 'node:fs'
import {join} from 'node:path'
import {describeMutations, type Mutation} from './mutation-harness.js'
import {edit} from './valid-tree.js'
import {VDB_DATAGEN, VDB_RUNS, writeValidVdbTree} from './vectordb-tree.js'

const datagen = (change: (value: any) => void) => (root: string) => edit(root, `${VDB_DATAGEN}/metadata.json`, change)
const run = (index: number, file: string, change: (value: any) => void) => (root: string) => edit(root, `${VDB_RUNS[index]}/${file}`, change)
const everyLeaf = (change: (value: any) => void) => (root: string) => {
  for (const leaf of [VDB_DATAGEN, ...VDB_RUNS]) edit(root, `${leaf}/metadata.json`, change)
}

const MUTATIONS: Record<string, Mutation> = {
  'a run missing': {rule: '5.3.1 vdbFiveRuns', becomes: 'INVALID', change: root => rmSync(join(root, VDB_RUNS[4]), {recursive: true})},
  'loaded with another dimension': {rule: '5.1.2 vdbLoadRunDimension', becomes: 'INVALID', change: datagen(value => {
    value.parameters.effective.dimension = 64
  })},
  'a load that stopped short': {rule: '5.2.1 vdbInsertedVectors', becomes: 'INVALID', change: datagen(value => {
    value.metrics.inserted_vectors = 4000
  })},
  'no index built': {rule: '5.2.2 vdbIndexBuiltAndReused', becomes: 'INVALID', change: root => {
    datagen(value => delete value.metrics.index_build_seconds)(root)
    edit(root, `${VDB_DATAGEN}/summary.json`, value => delete value.index_build_seconds)
  }},
  'a run on another index type': {rule: '5.2.2 vdbIndexBuiltAndReused', becomes: 'INVALID', change: run(2, 'metadata.json', value => {
    value.parameters.effective.indexType = 'DISKANN'
  })},
  'recall 0': {rule: '5.3.2 vdbRecallReported', becomes: 'INVALID', change: run(1, 'metadata.json', value => {
    value.metrics.recall_at_k = 0
  })},
  'no P99.9 latency': {rule: '5.3.4 vdbMetricsReported', becomes: 'INVALID', change: root => {
    run(3, 'metadata.json', value => delete value.metrics.p999_latency_ms)(root)
    run(3, 'summary.json', value => delete value.p999_latency_ms)(root)
  }},
  'a verdict that is not valid': {rule: '5.3.5 vdbGroundTruthComplete', becomes: 'INVALID', change: run(0, 'result_verdict.json', value => {
    value.valid = false
    value.result = 'invalid: FLAT coverage 0.42'
    value.flat_setup = {ok: false, coverage: 0.42}
  })},
  'no result_verdict.json': {rule: '5.3.5 vdbGroundTruthComplete', becomes: 'INVALID', change: root => rmSync(join(root, VDB_RUNS[2], 'result_verdict.json'))},
  'pgvector instead of Milvus': {rule: '5.6.2 vdbClosedBackend', becomes: 'OPEN', change: everyLeaf(value => {
    value.parameters.effective.backend = 'pgvector'
  })},
  'an IVF_FLAT index': {rule: '5.6.3 vdbClosedIndexType', becomes: 'OPEN', change: everyLeaf(value => {
    value.parameters.effective.indexType = 'IVF_FLAT'
  })},
  'an index no division knows': {rule: '5.6.3 vdbClosedIndexType', becomes: 'INVALID', change: everyLeaf(value => {
    value.parameters.effective.indexType = 'ANNOY'
  })},
  'a normal distribution of vectors': {rule: '5.6.4 vdbClosedParameters', becomes: 'OPEN', change: everyLeaf(value => {
    value.parameters.userOverrides.distribution = 'normal'
  })},
}

describeMutations('rules-v3 vector-database mutation tests (CLOSED tree derived from a real native workload)', writeValidVdbTree, MUTATIONS)
