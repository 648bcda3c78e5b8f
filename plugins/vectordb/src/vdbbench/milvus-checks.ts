import {connect} from 'node:net'
import type {Finding} from 'mlps'

/** Is something listening on host:port? (engines.md §5.3: connection refused / timeout is the first failure.) */
export function portReachable(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise(resolve => {
    const socket = connect({host, port})
    const finish = (problem: string | undefined) => {
      socket.destroy()
      resolve(problem)
    }
    socket.setTimeout(timeoutMs, () => finish(`no answer within ${timeoutMs / 1000} s`))
    socket.once('connect', () => finish(undefined))
    socket.once('error', error => finish((error as NodeJS.ErrnoException).code ?? error.message))
  })
}

export interface CollectionExpectation {
  baseUrl: string
  token?: string
  collection: string
  gtCollection: string
  dimension: number
  numVectors: number
  indexType: string
  timeoutMs: number
}

interface RestAnswer {
  code?: number
  message?: string
  data?: Record<string, unknown>
}

async function call(expect: CollectionExpectation, path: string, body: Record<string, unknown>): Promise<RestAnswer> {
  const headers: Record<string, string> = {'Content-Type': 'application/json'}
  if (expect.token) headers.Authorization = `Bearer ${expect.token}`
  const response = await fetch(`${expect.baseUrl}/v2/vectordb/${path}`, {method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(expect.timeoutMs)})
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${path}`)
  return await response.json() as RestAnswer
}

const ok = (answer: RestAnswer) => answer.code === 0 || answer.code === 200

/**
 * Before a query run: does the collection match the config? Row count,
 * dimension, index built, collection loaded, FLAT ground-truth collection
 * present (engines.md §5.3), asked over Milvus's RESTful API v2 on the same
 * port as gRPC. A Milvus without that API makes the checks "not evaluable",
 * never passed.
 */
export async function checkCollection(expect: CollectionExpectation): Promise<Finding[]> {
  const findings: Finding[] = []
  const where = `collection ${expect.collection} on ${expect.baseUrl}`
  let described: RestAnswer
  let stats: RestAnswer
  try {
    described = await call(expect, 'collections/describe', {collectionName: expect.collection})
    if (!ok(described)) {
      const unauthorized = /auth|permission|credential/i.test(described.message ?? '')
      return [{ruleId: 'vdbbench.collection', severity: 'error', kind: unauthorized ? 'environment' : 'input', message: `${where}: ${described.message ?? `code ${described.code}`}`,
        fix: unauthorized ? 'set MILVUS_TOKEN (or MILVUS_USER and MILVUS_PASSWORD) in the environment' : 'run `mlps vectordb datagen --engine vdbbench` with the same --collection first'}]
    }
    stats = await call(expect, 'collections/get_stats', {collectionName: expect.collection})
  } catch (error) {
    return [{ruleId: 'vdbbench.collection', severity: 'warn', notEvaluable: true, message: `${where}: the collection could not be checked over Milvus's RESTful API (${(error as Error).message}); row count, dimension and index are not verified before the run`, fix: 'use Milvus ≥ 2.4 (RESTful API v2 on the gRPC port)'}]
  }
  const data = described.data ?? {}
  const fields = (data.fields as Array<{type?: string; params?: Array<{key: string; value: string}>}> | undefined) ?? []
  const vector = fields.find(field => /Vector$/.test(field.type ?? ''))
  const dim = Number(vector?.params?.find(param => param.key === 'dim')?.value)
  if (!vector || dim !== expect.dimension) {
    findings.push({ruleId: 'vdbbench.collection.dimension', severity: 'error', kind: 'input', message: `${where} has vector dimension ${vector ? dim : 'none'}, the run asks for ${expect.dimension}`, fix: 'pass the --dimension datagen used, or run datagen again with --force'})
  }
  const rows = Number(stats.data?.rowCount)
  if (!Number.isFinite(rows)) {
    findings.push({ruleId: 'vdbbench.collection.rows', severity: 'warn', notEvaluable: true, message: `${where}: Milvus did not report a row count`})
  } else if (rows < expect.numVectors) {
    findings.push({ruleId: 'vdbbench.collection.rows', severity: 'error', kind: 'input', message: `${where} holds ${rows} vectors, fewer than --num-vectors ${expect.numVectors} (Rules 5.2.1: inserted ≥ num_vectors)`, fix: 'run datagen to completion (it may have been interrupted), or pass the --num-vectors it loaded'})
  }
  const indexes = (data.indexes as Array<{fieldName?: string; indexName?: string}> | undefined) ?? []
  if (indexes.length === 0) {
    findings.push({ruleId: 'vdbbench.collection.index', severity: 'error', kind: 'input', message: `${where} has no index; the run would measure a brute-force scan`, fix: `run datagen with --index-type ${expect.indexType} (it builds the index and waits for it)`})
  }
  if (data.load !== undefined && data.load !== 'LoadStateLoaded') {
    findings.push({ruleId: 'vdbbench.collection.loaded', severity: 'warn', message: `${where} is ${String(data.load)}, not loaded; the first queries will wait for the load`, fix: 'load it (compact-and-watch or pymilvus load()) before the timed run'})
  }
  try {
    const gt = await call(expect, 'collections/has', {collectionName: expect.gtCollection})
    if (ok(gt) && gt.data?.has === false) {
      findings.push({ruleId: 'vdbbench.groundTruth', severity: 'warn', message: `the FLAT ground-truth collection ${expect.gtCollection} does not exist; vdbbench will build it before the timed loop (a full second copy of the vectors)`, fix: 'make sure Milvus has room for it; recall is INVALID if its coverage ends below 99 %'})
    }
  } catch {}
  return findings
}
