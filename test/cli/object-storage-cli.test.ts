import assert from 'node:assert/strict'
import {mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {join, relative} from 'node:path'
import {type CliResult, isolatedEnv, parseJson, runCli, startCli, tempDir} from '../helpers/cli.js'
import {startS3Server, type TestS3Server} from '../helpers/s3-server.js'
import {filesUnder} from '../helpers/files-under.js'

const SMALL = ['--param', 'dataset.num_files_train=8', '--param', 'dataset.record_length_bytes=4096', '--param', 'dataset.record_length_bytes_stdev=0']


/** What a run put in the counted tree: everything but mlps's private `.mlps/`. */
const countedFiles = (results: string) => filesUnder(results).filter(file => !relative(results, file).startsWith('.mlps/'))

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

interface Refusal {
  exitCode: number
  record: {status: string; findings: Array<{ruleId: string; severity: string; message: string; fix?: string}>}
  refused?: boolean
}

describe('object storage: s3:// data dirs and checkpoint folders, checked before anything starts (built CLI, s3rver on loopback)', function () {
  this.timeout(240_000)
  let server: TestS3Server

  before(async () => {
    server = await startS3Server('mlps-bench')
  })
  after(async () => {
    await server?.stop()
  })

  /** A site: a config file with the server's endpoint, a results dir, a working dir of its own (where a folder named "s3:" would appear). */
  function site(objectStorage: Record<string, unknown>) {
    const dir = tempDir('mlps-s3-site-')
    const config = join(dir, 'mlps.config.json')
    writeFileSync(config, JSON.stringify({objectStorage}))
    const cwd = join(dir, 'cwd')
    mkdirSync(cwd)
    return {dir, config, cwd, results: join(dir, 'results')}
  }

  async function datagen(where: ReturnType<typeof site>, dataDir: string, env: NodeJS.ProcessEnv, extra: string[] = []): Promise<CliResult> {
    return runCli(['training', 'datagen', '--model', 'unet3d', '--data-dir', dataDir, '-n', '1', ...SMALL,
      '--config', where.config, '--results-dir', where.results, '--json', ...extra], {env, cwd: where.cwd})
  }

  function assertRefused(result: CliResult, where: ReturnType<typeof site>, exitCode: number, ruleId: string, pattern: RegExp): Refusal['record']['findings'][number] {
    assert.equal(result.exitCode, exitCode, result.stdout + result.stderr)
    const output = parseJson<Refusal>(result)
    assert.equal(output.refused, true, 'stopped before it started')
    const finding = output.record.findings.find(f => f.ruleId === ruleId && f.severity === 'error')
    assert.ok(finding, `a ${ruleId} error among ${JSON.stringify(output.record.findings.map(f => [f.ruleId, f.severity, f.message]))}`)
    assert.match(`${finding.message} ${finding.fix ?? ''}`, pattern)
    assert.ok(finding.fix, 'says how to fix it')
    assert.deepEqual(countedFiles(where.results), [], 'nothing in the counted tree')
    assert.deepEqual(readdirSync(where.cwd), [], 'no folder named "s3:" beside it')
    return finding
  }

  it('a wrong endpoint stops the run before it starts, naming the endpoint (exit 3)', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`
    const where = site({endpoint})
    const result = await datagen(where, `s3://${server.bucket}/data`, {...isolatedEnv(), ...server.credentialsEnv})
    assertRefused(result, where, 3, 'mlps.s3Endpoint', new RegExp(`${endpoint.replaceAll('.', '\\.')} does not answer.*objectStorage\\.endpoint`))
  })

  it('a missing bucket stops the run before it starts, naming the bucket and the endpoint (exit 3)', async () => {
    const where = site({endpoint: server.endpoint})
    const result = await datagen(where, 's3://no-such-bucket/data', {...isolatedEnv(), ...server.credentialsEnv})
    const finding = assertRefused(result, where, 3, 'mlps.s3Bucket', /the bucket "no-such-bucket" does not exist at http:\/\/127\.0\.0\.1:\d+.*s3cmd mb s3:\/\/no-such-bucket/)
    assert.match(finding.message, /^--data-dir: /, 'names the flag the bucket came from')
  })

  it('missing credentials stop the run before it starts (exit 3), in the environment and in a credentials file', async () => {
    const where = site({endpoint: server.endpoint})
    assertRefused(await datagen(where, `s3://${server.bucket}/data`, isolatedEnv()), where, 3, 'mlps.s3Credentials', /AWS_ACCESS_KEY_ID.*export AWS_ACCESS_KEY_ID/)
    const fromFile = site({endpoint: server.endpoint, credentials: 'file', profile: 'bench'})
    const credentials = join(fromFile.dir, 'credentials')
    writeFileSync(credentials, '[other]\naws_access_key_id = x\naws_secret_access_key = y\n')
    assertRefused(await datagen(fromFile, `s3://${server.bucket}/data`, {...isolatedEnv(), AWS_SHARED_CREDENTIALS_FILE: credentials}), fromFile, 3,
      'mlps.s3Credentials', /profile "bench".*\[bench\] section/)
  })

  it('a doubled s3:// prefix is refused before anything else, naming the flag and the URI to write (exit 2)', async () => {
    const where = site({endpoint: server.endpoint})
    const result = await datagen(where, `s3://s3://${server.bucket}/data`, {...isolatedEnv(), ...server.credentialsEnv})
    assert.equal(result.exitCode, 2, result.stdout + result.stderr)
    const {error} = parseJson<{error: {message: string; where: string; fix: string}}>(result)
    assert.equal(error.where, '--data-dir')
    assert.match(error.message, /scheme twice/)
    assert.equal(error.fix, `write it once: s3://${server.bucket}/data`)
    assert.deepEqual(countedFiles(where.results), [])
    assert.deepEqual(readdirSync(where.cwd), [])
  })

  it('kvcache and the native vector store do POSIX I/O only: a bucket is refused with the mount to use instead (exit 2)', async () => {
    const where = site({endpoint: server.endpoint})
    for (const [args, flag] of [[['kvcache', 'run', '--cache-dir', `s3://${server.bucket}/kv`], '--cache-dir'], [['vectordb', 'datagen', '--data-dir', `s3://${server.bucket}/vdb`], '--data-dir']] as const) {
      const result = await runCli([...args, '--config', where.config, '--results-dir', where.results, '--dry-run', '--json'], {env: {...isolatedEnv(), ...server.credentialsEnv}, cwd: where.cwd})
      assert.equal(result.exitCode, 2, result.stdout + result.stderr)
      const {error} = parseJson<{error: {message: string; where: string; fix: string}}>(result)
      assert.equal(error.where, flag)
      assert.match(error.message, /is object storage/)
      assert.match(error.fix, /mount/)
    }
    assert.deepEqual(readdirSync(where.cwd), [])
  })

  it('no endpoint, or an AWS one, is refused unless objectStorage.allowAws says so (exit 2); the checkpoint folder is checked the same way', async () => {
    const none = site({})
    assertRefused(await datagen(none, `s3://${server.bucket}/data`, {...isolatedEnv(), ...server.credentialsEnv}), none, 2, 'mlps.s3Endpoint', /would send the traffic to AWS.*allowAws/)
    const aws = site({endpoint: 'https://s3.eu-west-1.amazonaws.com'})
    const result = await runCli(['checkpointing', 'run', '--model', 'llama3-8b', '-n', '8', '--checkpoint-folder', `s3://${server.bucket}/ckpt`, '--client-host-memory-in-gb', '64',
      '--config', aws.config, '--results-dir', aws.results, '--open', '--json'], {env: {...isolatedEnv(), ...server.credentialsEnv}, cwd: aws.cwd})
    assertRefused(result, aws, 2, 'mlps.s3Endpoint', /s3\.eu-west-1\.amazonaws\.com is AWS/)
  })

  it('a run on a bucket that passes its checks says so: free space and filesystem separation are not applicable, the bucket is probed, the probe object is gone', async () => {
    const where = site({endpoint: server.endpoint})
    const result = await datagen(where, `s3://${server.bucket}/plan`, {...isolatedEnv(), ...server.credentialsEnv}, ['--dry-run'])
    assert.equal(result.exitCode, 0, result.stdout + result.stderr)
    const {record} = parseJson<{record: {findings: Array<{severity: string; ruleId: string}>; storage: unknown; checks: Array<{check: string; status: string; detail: string}>}}>(result)
    assert.deepEqual(record.findings.filter(f => f.severity === 'error'), [])
    const check = (id: string) => record.checks.find(c => c.check === id)
    for (const id of ['mlps.freeSpace', 'mlps.fsSeparation']) {
      assert.equal(check(id)?.status, 'ok', id)
      assert.match(check(id)!.detail, new RegExp(`not applicable: object storage \\(.*s3://${server.bucket}/plan/unet3d\\)`), id)
    }
    for (const id of ['mlps.s3Endpoint', 'mlps.s3Credentials', 'mlps.s3Bucket', 'mlps.s3Access']) assert.equal(check(id)?.status, 'ok', JSON.stringify(check(id)))
    assert.match(check('mlps.s3Access')!.detail, /readable; writing is not probed by a dry run/)
    assert.deepEqual(record.storage, [{role: 'data_dir', kind: 'object', uri: `s3://${server.bucket}/plan/unet3d`, endpoint: server.endpoint, region: 'us-east-1'}])
    assert.deepEqual([...server.storedObjects('plan/')], [], 'a dry run writes nothing, not even a probe')
    assert.deepEqual(readdirSync(where.cwd), [])
  })

  it('a checkpoint write is probed with an object put and deleted under the prefix; DLIO\'s storage library must import before DLIO starts', async () => {
    const where = site({endpoint: server.endpoint})
    const result = await runCli(['checkpointing', 'run', '--model', 'llama3-8b', '-n', '8', '--checkpoint-folder', `s3://${server.bucket}/ckpt`, '--client-host-memory-in-gb', '64',
      '--engine', 'dlio', '--dlio-bin', process.env.DLIO_BIN ?? '/opt/mlps-engines/dlio/bin/dlio_benchmark', '--config', where.config, '--results-dir', where.results, '--open', '--json'],
    {env: {...isolatedEnv(), ...server.credentialsEnv}, cwd: where.cwd})
    const output = parseJson<Refusal & {record: {checks: Array<{check: string; status: string; detail: string}>; storage: unknown}}>(result)
    const check = (id: string) => output.record.checks.find(c => c.check === id)
    assert.equal(check('mlps.s3Access')?.status, 'ok', JSON.stringify(check('mlps.s3Access')))
    assert.match(check('mlps.s3Access')!.detail, new RegExp(`s3://${server.bucket}/ckpt/llama3-8b: readable and writable \\(a probe object put, read back and deleted\\)`))
    assert.deepEqual([...server.storedObjects('ckpt/')], [], 'the probe object is gone')
    assert.deepEqual(output.record.storage, [{role: 'checkpoint_folder', kind: 'object', uri: `s3://${server.bucket}/ckpt/llama3-8b`, endpoint: server.endpoint, region: 'us-east-1'}])
    // the installed DLIO has none of the libraries: the run stops before DLIO starts, saying which module to install
    const python = output.record.findings.find(f => f.ruleId === 'dlio.python')
    assert.ok(python && python.severity === 'error', JSON.stringify(output.record.findings.map(f => [f.ruleId, f.message])))
    assert.match(python.message, /s3dlio/)
    assert.equal(result.exitCode, 3)
    assert.deepEqual(countedFiles(where.results), [])
  })

  it('a native checkpoint write cut by SIGINT mid-upload aborts its multipart uploads on the server before the record is written; the run is INTERRUPTED', async () => {
    const where = site({endpoint: server.endpoint})
    // 1 % of llama3-8b over 8 ranks: each rank's optimizer shard is several 16 MiB parts
    const run = startCli(['checkpointing', 'run', '--model', 'llama3-8b', '-n', '8', '--checkpoint-folder', `s3://${server.bucket}/cut`, '--client-host-memory-in-gb', '64',
      '--scale', '0.01', '--num-checkpoints-write', '2', '--num-checkpoints-read', '0', '--engine', 'native', '--config', where.config, '--results-dir', where.results, '--open', '--json'],
    {env: {...isolatedEnv(), ...server.credentialsEnv}, cwd: where.cwd})
    const started = Date.now()
    while (server.openUploads().length === 0 && Date.now() - started < 60_000 && run.exitCode === null) await new Promise(resolve => setTimeout(resolve, 20))
    assert.ok(server.openUploads().length > 0, 'a multipart upload was open when the run was interrupted')
    run.kill('SIGINT')
    const result = await run
    const output = JSON.parse(String(result.stdout)) as {status: string; leaf: string; record: {statusReason?: string}}
    assert.equal(output.status, 'INTERRUPTED', `${output.record.statusReason}\n${String(result.stderr)}`)
    assert.equal(result.exitCode, 130)
    assert.deepEqual(server.openUploads(), [], 'no multipart upload left open on the server')
    assert.ok(![...server.storedObjects('cut/').values()].some(size => size === 0), 'no empty object under a shard name')
  })

  it('doctor lists the object-storage checks and runs the endpoint and credentials ones from the config', async () => {
    const where = site({endpoint: server.endpoint})
    const result = await runCli(['doctor', '--config', where.config, '--json'], {env: {...isolatedEnv(), ...server.credentialsEnv}, cwd: where.cwd})
    const {checks: rows} = parseJson<{checks: Array<{check: string; status: string; detail: string; needsRun?: boolean}>}>(result)
    const row = (id: string) => rows.find(r => r.check === id)
    assert.equal(row('mlps.s3Endpoint')?.status, 'ok', JSON.stringify(row('mlps.s3Endpoint')))
    assert.match(row('mlps.s3Endpoint')!.detail, /answers/)
    assert.equal(row('mlps.s3Credentials')?.status, 'ok')
    assert.ok(row('mlps.s3Bucket')?.needsRun && row('mlps.s3Access')?.needsRun, 'the bucket checks need a run')
  })

  it('no credential value reaches the results tree, the history or the report: planted in the environment and in a credentials file', async () => {
    const home = tempDir('mlps-s3-secret-home-')
    const env = {...isolatedEnv(home), ...server.credentialsEnv}
    const where = site({endpoint: server.endpoint})
    const fromFile = site({endpoint: server.endpoint, credentials: 'file', profile: 'bench'})
    const credentialsFile = join(fromFile.dir, 'credentials')
    writeFileSync(credentialsFile, `[bench]\naws_access_key_id = ${server.accessKey}\naws_secret_access_key = ${server.secretKey}\n`)
    const fileEnv = {...isolatedEnv(home), AWS_SHARED_CREDENTIALS_FILE: credentialsFile}
    const outputs: CliResult[] = []
    const cli = async (args: string[], cliEnv: NodeJS.ProcessEnv, cwd: string) => {
      const result = await runCli(args, {env: cliEnv, cwd})
      outputs.push(result)
      return result
    }
    const common = (at: ReturnType<typeof site>) => ['--config', at.config, '--results-dir', where.results]
    // a native datagen and run on the bucket, to the end: records, summaries and a report of runs whose data were objects
    const onBucket = `s3://${server.bucket}/secret`
    const generated = await cli(['training', 'datagen', '--model', 'unet3d', '-n', '1', '--data-dir', onBucket, ...SMALL, ...common(where), '--json'], env, where.cwd)
    assert.equal(generated.exitCode, 0, generated.stdout + generated.stderr)
    assert.equal(server.storedObjects('secret/unet3d/train/').size, 8, 'the dataset is objects in the bucket')
    const ran = await cli(['training', 'run', '--model', 'unet3d', '-g', 'h100', '-n', '1', '--data-dir', onBucket, ...SMALL,
      '--param', 'train.epochs=1', '--param', 'train.computation_time=0.001', ...common(fromFile), '--open', '--json'], fileEnv, fromFile.cwd)
    assert.equal(ran.exitCode, 0, ran.stdout + ran.stderr)
    const ranRecord = parseJson<{record: {status: string; storage: unknown; findings: Array<{ruleId: string; notEvaluable?: boolean}>}; leaf: string}>(ran)
    assert.equal(ranRecord.record.status, 'COMPLETED')
    assert.deepEqual(ranRecord.record.storage, [{role: 'data_dir', kind: 'object', uri: `${onBucket}/unet3d`, endpoint: server.endpoint, region: 'us-east-1'}])
    assert.ok(!ranRecord.record.findings.some(f => f.ruleId.startsWith('3.4.2')), 'filesystem separation does not apply to a bucket: no finding, not even "not evaluable"')
    assert.deepEqual(readdirSync(where.cwd), [], 'no folder named "s3:"')
    assert.deepEqual(readdirSync(fromFile.cwd), [])
    // ranks on a host worker (as across hosts), whose credentials the controller reads from the file and hands over through the rendezvous
    const onWorker = site({endpoint: server.endpoint, credentials: 'file', profile: 'bench'})
    writeFileSync(onWorker.config, JSON.stringify({objectStorage: {endpoint: server.endpoint, credentials: 'file', profile: 'bench'}, launcher: {type: 'local'}, engines: {native: {launch: 'launcher'}}}))
    const ranOnWorker = await cli(['training', 'run', '--model', 'unet3d', '-g', 'h100', '-n', '1', '--data-dir', onBucket, ...SMALL,
      '--param', 'train.epochs=1', '--param', 'train.computation_time=0.001', '--config', onWorker.config, '--results-dir', where.results, '--open', '--json'], fileEnv, onWorker.cwd)
    assert.equal(ranOnWorker.exitCode, 0, ranOnWorker.stdout + ranOnWorker.stderr)
    const workerRecord = parseJson<{record: {status: string; extra: {native?: {hosts?: {transport: string}}}}; leaf: string}>(ranOnWorker)
    assert.equal(workerRecord.record.extra.native?.hosts?.transport, 'local', 'the ranks ran on a host worker')
    assert.ok(readdirSync(workerRecord.leaf).some(name => name.endsWith('.stdout.log')), 'the worker\'s log is in the leaf (and grepped below)')
    // refused runs keep their record (with every check's detail) under .mlps/refused
    await cli(['training', 'datagen', '--model', 'unet3d', '--data-dir', 's3://no-such-bucket/x', '-n', '1', ...SMALL, ...common(where), '--json'], env, where.cwd)
    await cli(['training', 'run', '--model', 'unet3d', '-g', 'h100', '-n', '1', '--data-dir', 's3://no-such-bucket/x', ...SMALL, ...common(fromFile)], fileEnv, fromFile.cwd)
    await cli(['checkpointing', 'run', '--model', 'llama3-8b', '-n', '8', '--checkpoint-folder', 's3://no-such-bucket/ckpt', '--client-host-memory-in-gb', '64', '--engine', 'dlio', ...common(where), '--open', '--json'], env, where.cwd)
    // plans: DLIO's argv and environment, and the checks that pass
    const plan = await cli(['training', 'run', '--model', 'unet3d', '-g', 'h100', '-n', '2', '--data-dir', `s3://${server.bucket}/data`, ...SMALL, '--engine', 'dlio', ...common(where), '--dry-run', '--json'], env, where.cwd)
    assert.match(plan.stdout, /AWS_SECRET_ACCESS_KEY/, 'the plan names the variable it forwards')
    const planned = parseJson<{record: {checks: Array<{check: string; detail: string}>}}>(plan).record.checks.find(c => c.check === 'dlio.dataset')
    assert.match(planned?.detail ?? '', /not applicable: object storage/, 'DLIO\'s dataset listing is not run on a bucket')
    await cli(['training', 'datagen', '--model', 'unet3d', '-n', '1', '--data-dir', `s3://${server.bucket}/data`, ...SMALL, ...common(fromFile), '--dry-run'], fileEnv, fromFile.cwd)
    await cli(['doctor', '--config', fromFile.config, '--json'], fileEnv, fromFile.cwd)
    const refusedRecords = filesUnder(join(where.results, '.mlps')).filter(file => file.endsWith('metadata.json'))
    assert.equal(refusedRecords.length, 3, `one record per refused run: ${refusedRecords.join(', ')}`)
    assert.ok(refusedRecords.every(file => /"kind":\s*"object"/.test(readFileSync(file, 'utf8'))), 'a refused record says its storage was a bucket')

    const report = join(where.dir, 'report')
    await cli(['reports', 'reportgen', '--results-dir', where.results, '--output-dir', report, '--json'], env, where.cwd)
    await cli(['history', 'list', '--json'], env, where.cwd)
    for (const secret of [server.secretKey, server.accessKey]) {
      for (const result of outputs) assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), `printed: ${result.stdout}${result.stderr}`)
      const written = [...filesUnder(where.results), ...filesUnder(report), ...filesUnder(home)].filter(file => statSync(file).size < 50 * 2 ** 20)
      assert.ok(written.some(file => file.endsWith('history.jsonl')))
      for (const file of written) assert.ok(!readFileSync(file, 'latin1').includes(secret), `${file} holds a credential`)
    }
  })
})
