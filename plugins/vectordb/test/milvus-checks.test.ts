import assert from 'node:assert/strict'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {checkCollection, portReachable} from '@mlps/plugin-vectordb'

interface FakeCollection {
  dim: number
  rows: number
  indexed: boolean
  load: string
}

/** Milvus cannot run here (no Docker, no packages): a stand-in answering the RESTful v2 calls the checks make. */
async function fakeMilvus(collections: Record<string, FakeCollection>, seen: string[]): Promise<{server: Server; url: string}> {
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', chunk => { body += chunk })
    request.on('end', () => {
      seen.push(`${request.url} ${request.headers.authorization ?? ''}`)
      const name = (JSON.parse(body) as {collectionName: string}).collectionName
      const collection = collections[name]
      const send = (value: unknown) => response.end(JSON.stringify(value))
      if (request.url === '/v2/vectordb/collections/has') return send({code: 0, data: {has: Boolean(collection)}})
      if (!collection) return send({code: 100, message: `can't find collection[database=default][collection=${name}]`})
      if (request.url === '/v2/vectordb/collections/describe') {
        return send({code: 0, data: {collectionName: name, load: collection.load,
          fields: [{name: 'id', type: 'Int64', primaryKey: true}, {name: 'vector', type: 'FloatVector', params: [{key: 'dim', value: String(collection.dim)}]}],
          indexes: collection.indexed ? [{fieldName: 'vector', indexName: 'vector', metricType: 'COSINE'}] : []}})
      }
      if (request.url === '/v2/vectordb/collections/get_stats') return send({code: 0, data: {rowCount: collection.rows}})
      response.statusCode = 404
      response.end()
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`}
}

const expectation = {collection: 'c', gtCollection: 'c_flat_gt', dimension: 1536, numVectors: 1_000_000, indexType: 'DISKANN', timeoutMs: 2000}

describe('Milvus checks before a vdbbench run (against a stand-in Milvus REST server)', () => {
  it('passes a collection that matches, with its ground truth, sending the token', async () => {
    const seen: string[] = []
    const {server, url} = await fakeMilvus({c: {dim: 1536, rows: 1_000_000, indexed: true, load: 'LoadStateLoaded'}, c_flat_gt: {dim: 1536, rows: 1_000_000, indexed: false, load: 'LoadStateLoaded'}}, seen)
    try {
      assert.deepEqual(await checkCollection({...expectation, baseUrl: url, token: 'root:Milvus'}), [])
      assert.ok(seen.every(line => line.endsWith('Bearer root:Milvus')))
    } finally {
      server.close()
    }
  })

  it('reports a wrong dimension, too few rows, no index, not loaded and no ground truth, all at once', async () => {
    const {server, url} = await fakeMilvus({c: {dim: 128, rows: 999_000, indexed: false, load: 'LoadStateNotLoad'}}, [])
    try {
      const findings = await checkCollection({...expectation, baseUrl: url})
      assert.deepEqual(findings.map(f => [f.ruleId, f.severity]), [
        ['vdbbench.collection.dimension', 'error'], ['vdbbench.collection.rows', 'error'], ['vdbbench.collection.index', 'error'],
        ['vdbbench.collection.loaded', 'warn'], ['vdbbench.groundTruth', 'warn'],
      ])
      assert.match(findings[0].message, /dimension 128.*1536/)
    } finally {
      server.close()
    }
  })

  it('says a missing collection needs datagen', async () => {
    const {server, url} = await fakeMilvus({}, [])
    try {
      const [finding] = await checkCollection({...expectation, baseUrl: url})
      assert.equal(finding.severity, 'error')
      assert.match(finding.fix!, /vectordb datagen/)
    } finally {
      server.close()
    }
  })

  it('marks the checks not evaluable, never passed, when the REST API does not answer', async () => {
    const server = createServer((_request, response) => { response.statusCode = 404; response.end() })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    try {
      const findings = await checkCollection({...expectation, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`})
      assert.equal(findings.length, 1)
      assert.equal(findings[0].notEvaluable, true)
    } finally {
      server.close()
    }
  })

  it('tells a closed port from an open one', async () => {
    const server = createServer()
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const {port} = server.address() as AddressInfo
    assert.equal(await portReachable('127.0.0.1', port, 2000), undefined)
    server.close()
    await new Promise(resolve => server.once('close', resolve))
    assert.equal(await portReachable('127.0.0.1', port, 2000), 'ECONNREFUSED')
  })
})
