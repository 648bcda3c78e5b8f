import assert from 'node:assert/strict'
import type {ResolvedConfig} from 'mlps'
import {loadArgv, queryArgv, vectordbOptions} from '@mlps/plugin-vectordb'

function resolved(vectordb: Record<string, unknown> = {}): ResolvedConfig {
  return {config: {division: 'closed', benchmarks: {vectordb}}} as unknown as ResolvedConfig
}

describe('vdbbench argv', () => {
  it('builds the real v3.0 query command (engines.md §4.3) from the run flags', () => {
    const {options} = vectordbOptions('run', {engine: 'vdbbench', 'num-query-processes': 24, 'batch-size': 8, runtime: 60, 'report-count': 1000, 'search-ef': 50}, resolved())
    const argv = queryArgv(options, {prefix: ['uv', 'run']}, '/results/run/20260723_195753')
    assert.deepEqual(argv, [
      'uv', 'run', 'vdbbench', '--host', '127.0.0.1', '--port', '19530', '--collection-name', 'mlps_1m_1shards_1536dim_uniform',
      '--processes', '24', '--batch-size', '8', '--runtime', '60', '--report-count', '1000', '--output-dir', '/results/run/20260723_195753',
      '--vector-dim', '1536', '--search-limit', '10', '--search-ef', '50', '--num-query-vectors', '1000', '--recall-k', '10',
      '--gt-collection', 'mlps_1m_1shards_1536dim_uniform_flat_gt', '--seed', '42', '--json-output',
    ])
  })

  it('ends a query-count run with --queries instead of --runtime', () => {
    const {options} = vectordbOptions('run', {engine: 'vdbbench', queries: 5000}, resolved())
    const argv = queryArgv(options, {prefix: []}, '/out')
    assert.deepEqual(argv.slice(argv.indexOf('--queries'), argv.indexOf('--queries') + 2), ['--queries', '5000'])
    assert.equal(argv.includes('--runtime'), false)
  })

  it('passes each index type its own build parameters, compacts, and only forces when asked', () => {
    const diskann = loadArgv(vectordbOptions('datagen', {engine: 'vdbbench', 'max-degree': 64}, resolved()).options, {prefix: [], binDir: '/opt/vdb/bin'})
    assert.equal(diskann[0], '/opt/vdb/bin/load-vdb')
    assert.deepEqual(diskann.slice(diskann.indexOf('--index-type'), diskann.indexOf('--index-type') + 8), ['--index-type', 'DISKANN', '--metric-type', 'COSINE', '--max-degree', '64', '--search-list-size', '200'])
    assert.ok(diskann.includes('--compact'))
    assert.equal(diskann.includes('--force'), false)
    const hnsw = loadArgv(vectordbOptions('datagen', {engine: 'vdbbench', 'index-type': 'HNSW', M: 64, force: true, compact: false}, resolved()).options, {prefix: [], configFile: '/storage/configs/vectordbbench/default.yaml'})
    assert.deepEqual(hnsw.slice(0, 3), ['load-vdb', '--config', '/storage/configs/vectordbbench/default.yaml'])
    assert.deepEqual(hnsw.slice(hnsw.indexOf('--M'), hnsw.indexOf('--M') + 4), ['--M', '64', '--ef-construction', '200'])
    assert.ok(hnsw.includes('--force'))
    assert.equal(hnsw.includes('--compact'), false)
  })

  it('takes the Milvus endpoint from --uri, refusing credentials in it', () => {
    const {options} = vectordbOptions('run', {engine: 'vdbbench', uri: 'http://milvus01:29530'}, resolved())
    assert.deepEqual(options.milvus, {host: 'milvus01', port: 29530, uri: 'http://milvus01:29530'})
    assert.throws(() => vectordbOptions('run', {engine: 'vdbbench', uri: 'http://root:Milvus@milvus01:19530'}, resolved()), /credentials/)
  })

  it('names the collection as mlpstorage does and files runs under <backend>/<index>', () => {
    const {options} = vectordbOptions('datagen', {'num-vectors': 100_000, dimension: 128}, resolved())
    assert.equal(options.collection, 'mlps_100k_1shards_128dim_uniform')
    assert.equal(options.backend, 'native')
    assert.equal(options.indexType, 'IVF_FLAT')
    assert.equal(vectordbOptions('datagen', {engine: 'vdbbench'}, resolved()).options.backend, 'milvus')
  })
})
