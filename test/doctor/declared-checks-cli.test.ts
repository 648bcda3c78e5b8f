import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {type RecordedCheck, RunRecordSchema} from '../../src/results/run-record.js'
import {parseJson, runCli, tempDir} from '../helpers/cli.js'

const SMALL = ['--param', 'dataset.num_files_train=12', '--param', 'dataset.record_length_bytes=65536', '--param', 'dataset.record_length_bytes_stdev=0']

interface Row {check: string; host: string; status: string; detail: string; fix?: string; engine?: string}
interface DoctorJson {exitCode: number; checks: Row[]}
interface RunJson {exitCode: number; leaf: string; record: {statusReason?: string; findings: Array<{ruleId: string; severity: string; kind?: string; message: string; fix?: string}>}}

function recordedChecks(leaf: string): RecordedCheck[] {
  return RunRecordSchema.parse(JSON.parse(readFileSync(join(leaf, 'metadata.json'), 'utf8'))).checks ?? []
}

describe('declared preflight checks: doctor, the run record and preflight.skip see one set (built CLI, native engine)', function () {
  this.timeout(120_000)
  const dir = tempDir('mlps-checks-')
  const common = ['--model', 'unet3d', '--data-dir', join(dir, 'data'), '--results-dir', join(dir, 'results'), ...SMALL]

  it('a formerly engine-only check shows in `mlps doctor`, as "needs a run" where it reads the run', async () => {
    const doctor = parseJson<DoctorJson>(await runCli(['doctor', '--benchmark', 'training', '--engine', 'native', '--json'], {cwd: dir}))
    const present = doctor.checks.find(row => row.check === 'native.preflight.datasetPresent')
    assert.equal(present?.status, 'skip')
    assert.match(present!.detail, /^needs a run: evaluated when a training run starts$/)
    assert.equal(present?.engine, 'native')
    assert.equal(doctor.checks.find(row => row.check === 'native.ready')?.status, 'ok', 'the plugin\'s own check runs as before')
    assert.ok(!doctor.checks.some(row => row.check.startsWith('native.kvcache.') || row.check === '6.4.1 kvcacheCacheDirOutsideResults'), 'another benchmark\'s checks stay out')
  })

  it('a formerly preValidate-tap check is evaluated by `mlps doctor` from the site config', async () => {
    const doctor = parseJson<DoctorJson>(await runCli(['doctor', '--benchmark', 'kvcache', '--engine', 'native', '--json'], {cwd: dir}))
    const cache = doctor.checks.find(row => row.check === '6.4.1 kvcacheCacheDirOutsideResults')
    assert.equal(cache?.status, 'warn')
    assert.equal(cache?.detail, 'no --cache-dir: the KV cache would be written inside the run leaf, in the results folder')
    assert.match(cache!.fix!, /benchmarks\.kvcache\.cacheDir/)
  })

  it('the KV cache inside the results still stops a CLOSED run before it starts, with the same message (exit 2)', async () => {
    const result = await runCli(['kvcache', 'run', '--engine', 'native', '--results-dir', join(dir, 'kv-results'), '--json'], {cwd: dir})
    assert.equal(result.exitCode, 2, result.stdout + result.stderr)
    const run = parseJson<RunJson>(result)
    assert.equal(run.record.statusReason, 'preflight: no --cache-dir: the KV cache would be written inside the run leaf, in the results folder')
    assert.equal(recordedChecks(run.leaf).find(c => c.check === '6.4.1 kvcacheCacheDirOutsideResults')?.status, 'fail')
  })

  it('a missing dataset still stops the run with exit 2 and the same message, naming no host', async () => {
    const result = await runCli(['training', 'run', ...common, '-g', 'h100', '-n', '1', '--json'], {cwd: dir})
    assert.equal(result.exitCode, 2, result.stdout + result.stderr)
    const run = parseJson<RunJson>(result)
    const finding = run.record.findings.find(f => f.ruleId === 'native.preflight.datasetPresent')!
    assert.equal(finding.message, `no dataset at ${join(dir, 'data', 'unet3d', 'train')}`)
    assert.equal(finding.kind, 'input')
    assert.equal(run.record.statusReason, `preflight: no dataset at ${join(dir, 'data', 'unet3d', 'train')}`)
    const checks = recordedChecks(run.leaf)
    assert.equal(checks.find(c => c.check === 'native.preflight.datasetPresent')?.status, 'fail')
  })

  it('the record of a run lists every check with its outcome, passed ones too', async () => {
    const datagen = await runCli(['training', 'datagen', ...common, '--num-accelerators', '1', '--json'], {cwd: dir})
    assert.equal(datagen.exitCode, 0, datagen.stdout + datagen.stderr)
    const generated = recordedChecks(parseJson<RunJson>(datagen).leaf)
    assert.equal(generated.find(c => c.check === 'native.preflight.dataDirWritable')?.status, 'ok')
    assert.equal(generated.find(c => c.check === 'mlps.freeSpace')?.status, 'ok')

    const result = await runCli(['training', 'run', ...common, '-g', 'h100', '-n', '1', '--param', 'train.epochs=1', '--param', 'train.computation_time=0.001', '--json'], {cwd: dir})
    assert.equal(result.exitCode, 0, result.stdout + result.stderr)
    const checks = recordedChecks(parseJson<RunJson>(result).leaf)
    const byId = new Map(checks.map(c => [c.check, c]))
    assert.equal(byId.get('native.ready')?.status, 'ok')
    assert.equal(byId.get('native.ready')?.engine, 'native')
    assert.ok(byId.get('native.ready')?.host, 'each row names where it ran')
    assert.equal(byId.get('native.preflight.datasetPresent')?.status, 'ok')
    assert.match(byId.get('native.preflight.datasetPresent')!.detail, /^12 files in /)
    assert.equal(byId.get('native.preflight.datasetSize')?.status, 'ok')
    assert.equal(byId.get('native.potentialCaching')?.status, 'warn')
    assert.equal(byId.get('cluster.collector')?.status, 'ok')
    assert.ok(!byId.has('native.preflight.dataDirWritable'), 'a datagen-only check does not run for a run')
  })

  it('a plugin\'s check turned off by preflight.skip is listed as skipped, and not run', async () => {
    const config = join(dir, 'skip.json')
    writeFileSync(config, JSON.stringify({preflight: {skip: ['native.preflight.datasetPresent', 'native.preflight.datasetSize']}}))
    const empty = join(dir, 'empty')
    const result = await runCli(['training', 'run', '--model', 'unet3d', '--data-dir', empty, '--results-dir', join(dir, 'results'), ...SMALL,
      '-g', 'h100', '-n', '1', '--config', config, '--dry-run', '--json'], {cwd: dir})
    assert.equal(result.exitCode, 0, result.stdout + result.stderr)
    const {record} = parseJson<{record: {checks: RecordedCheck[]; findings: RunJson['record']['findings']}}>(result)
    const skipped = record.checks.find(c => c.check === 'native.preflight.datasetPresent')
    assert.deepEqual(skipped, {check: 'native.preflight.datasetPresent', title: 'the dataset the run reads is there', status: 'skip',
      detail: 'not checked: in preflight.skip of the configuration', skippedByConfig: true, engine: 'native'})
    assert.equal(record.checks.filter(c => c.check === 'native.preflight.datasetPresent').length, 1, 'it did not run as well')
    assert.ok(!record.findings.some(f => f.severity === 'error' && f.ruleId.startsWith('native.preflight.dataset')), 'the missing dataset is not reported')
    assert.ok(record.findings.some(f => f.ruleId === 'native.preflight.datasetPresent' && f.severity === 'warn' && /preflight\.skip/.test(f.message)))
  })
})
