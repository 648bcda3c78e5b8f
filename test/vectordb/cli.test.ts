import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {join} from 'node:path'
import {isolatedEnv, parseJson, runCli, tempDir} from '../helpers/cli.js'

interface Output {
  status: string
  exitCode: number
  leaf?: string
  plan?: {engine: string; argv: string[]; details: {credentials: string}}
  record: {status: string; findings: Array<{ruleId: string; severity: string; message: string; fix?: string}>}
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise(resolve => server.close(resolve))
  return port
}

describe('mlps vectordb with the vdbbench engine (the Python scripts cannot be installed here)', function () {
  this.timeout(60_000)
  let port: number
  before(async () => {
    port = await closedPort()
  })

  it('prints load-vdb\'s exact argv for datagen with --dry-run --json, and what stops it from running', async () => {
    const results = tempDir()
    const out = parseJson<Output>(await runCli(['vectordb', 'datagen', '--engine', 'vdbbench', '--index-type', 'HNSW', '--num-vectors', '1000000', '--port', String(port), '--results-dir', results, '--dry-run', '--json']))
    assert.equal(out.exitCode, 0)
    assert.deepEqual(out.plan!.argv, [
      'load-vdb', '--host', '127.0.0.1', '--port', String(port), '--collection-name', 'mlps_1m_1shards_1536dim_uniform',
      '--dimension', '1536', '--num-shards', '1', '--vector-dtype', 'FLOAT_VECTOR', '--num-vectors', '1000000', '--distribution', 'uniform',
      '--batch-size', '1000', '--chunk-size', '10000', '--index-type', 'HNSW', '--metric-type', 'COSINE', '--M', '16', '--ef-construction', '200',
      '--monitor-interval', '5', '--compact',
    ])
    const installed = out.record.findings.find(f => f.ruleId === 'vdbbench.installed')!
    assert.equal(installed.severity, 'error')
    assert.match(installed.fix!, /uv sync --extra vectordb/)
    assert.ok(out.record.findings.some(f => f.ruleId === 'vdbbench.milvus' && /not reachable/.test(f.message)))
  })

  it('prints vdbbench\'s exact argv for run, writing into the run leaf under vector_database/milvus/<index>/run', async () => {
    const results = tempDir()
    const out = parseJson<Output>(await runCli(['vectordb', 'run', '--engine', 'vdbbench', '--num-query-processes', '24', '--batch-size', '8', '--runtime', '60', '--search-ef', '50', '--port', String(port), '--results-dir', results, '--dry-run', '--json']))
    const argv = out.plan!.argv
    assert.equal(argv[0], 'vdbbench')
    const outputDir = argv[argv.indexOf('--output-dir') + 1]
    assert.match(outputDir, /\/vector_database\/milvus\/DISKANN\/run\/\d{8}_\d{6}$/)
    assert.ok(outputDir.startsWith(results))
    assert.deepEqual(argv.slice(argv.indexOf('--processes'), argv.indexOf('--processes') + 6), ['--processes', '24', '--batch-size', '8', '--runtime', '60'])
    assert.ok(argv.includes('--json-output'))
  })

  it('exits 3 before starting, with the install hint, when the scripts are missing', async () => {
    const results = tempDir()
    const result = await runCli(['vectordb', 'run', '--engine', 'vdbbench', '--port', String(port), '--results-dir', results, '--json'])
    assert.equal(result.exitCode, 3)
    const out = parseJson<Output>(result)
    assert.equal(out.record.status, 'FAILED')
    assert.ok(out.record.findings.some(f => f.ruleId === 'vdbbench.installed'))
    assert.ok(existsSync(join(out.leaf!, 'metadata.json')))
  })

  it('takes Milvus credentials from the environment only and never writes them down', async () => {
    const home = tempDir('mlps-home-')
    const env = {...isolatedEnv(home), MILVUS_USER: 'root', MILVUS_PASSWORD: 'pw-7f3a-do-not-log'}
    const result = await runCli(['vectordb', 'run', '--engine', 'vdbbench', '--port', String(port), '--results-dir', tempDir(), '--json'], {env})
    const out = parseJson<Output>(result)
    assert.equal(out.exitCode, 3)
    assert.doesNotMatch(result.stdout + result.stderr, /pw-7f3a/)
    assert.doesNotMatch(readFileSync(join(out.leaf!, 'metadata.json'), 'utf8'), /pw-7f3a/)
    const dry = parseJson<Output>(await runCli(['vectordb', 'run', '--engine', 'vdbbench', '--port', String(port), '--results-dir', tempDir(), '--dry-run', '--json'], {env}))
    assert.equal(dry.plan!.details.credentials, 'MILVUS_USER/MILVUS_PASSWORD')
  })
})

describe('mlps vectordb datasize and input errors', function () {
  this.timeout(30_000)

  it('sizes a collection as raw vectors × the index overhead', async () => {
    const out = parseJson<{totalBytes: number; rawBytes: number; leaf: string}>(await runCli(['vectordb', 'datasize', '--num-vectors', '10000000', '--dimension', '1536', '--index-type', 'DISKANN', '--num-shards', '10', '--results-dir', tempDir(), '--json']))
    assert.equal(out.rawBytes, 10_000_000 * 1536 * 4)
    assert.equal(out.totalBytes, Math.ceil(10_000_000 * 1536 * 4 * 1.3))
    assert.match(out.leaf, /vector_database\/native\/DISKANN\/datasize\//)
  })

  it('refuses an index the native store cannot build, naming the engine that can', async () => {
    const result = await runCli(['vectordb', 'datagen', '--index-type', 'DISKANN', '--data-dir', tempDir(), '--results-dir', tempDir()])
    assert.equal(result.exitCode, 2)
    assert.match(result.stderr, /DISKANN.*--engine vdbbench/s)
  })
})
