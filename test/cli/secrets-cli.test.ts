import assert from 'node:assert/strict'
import {readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {type CliResult, isolatedEnv, parseJson, runCli, tempDir} from '../helpers/cli.js'
import {filesUnder} from '../helpers/files-under.js'

// values no other text in a run would contain, so any hit is the secret leaking
const SECRET = 'S3cr3t-Kx7-q9'
const URI_PASSWORD = 'UriPa55-w0rd'
const SMALL = ['--param', 'dataset.num_files_train=8', '--param', 'dataset.record_length_bytes=4096', '--param', 'dataset.record_length_bytes_stdev=0']
const SECRET_PARAM = ['--param', `storage.storage_options.secret_key=${SECRET}`]


function assertNoSecretIn(label: string, text: string): void {
  assert.ok(!text.includes(SECRET), `${label} holds the secret`)
  assert.ok(!text.includes(URI_PASSWORD), `${label} holds the URI password`)
}

describe('secrets never reach what mlps writes or prints (built CLI)', function () {
  this.timeout(240_000)

  it('redacts a --param secret and a URI password in records, --json, printed findings, history and reports', async () => {
    const home = tempDir('mlps-secret-home-')
    const env = isolatedEnv(home)
    const dir = tempDir()
    const results = join(dir, 'results')
    const data = join(dir, 'data')
    const common = ['--model', 'unet3d', '--data-dir', data, '--results-dir', results]
    const outputs: Array<[string, CliResult]> = []
    const cli = async (label: string, args: string[]) => {
      const result = await runCli(args, {env})
      outputs.push([label, result])
      return result
    }

    // a preflight failure prints its findings and the record's status reason in human form
    const refused = await cli('run without a dataset', ['training', 'run', ...common, '-g', 'h100', '-n', '1', ...SMALL, ...SECRET_PARAM])
    assert.match(refused.stdout + refused.stderr, /no dataset at/)

    const datagen = await cli('datagen', ['training', 'datagen', ...common, '-n', '1', ...SMALL, ...SECRET_PARAM, '--json'])
    assert.equal(datagen.exitCode, 0, datagen.stdout + datagen.stderr)
    const run = await cli('run', ['training', 'run', ...common, '-g', 'h100', '-n', '1', ...SMALL, ...SECRET_PARAM,
      '--param', 'train.epochs=1', '--param', 'train.computation_time=0.001', '--json'])
    assert.equal(run.exitCode, 0, run.stdout + run.stderr)
    const record = parseJson<{record: {parameters: {userOverrides: Record<string, unknown>; effective: {storage: {storage_options: {secret_key: string}}}}}}>(run).record
    assert.equal(record.parameters.userOverrides['storage.storage_options.secret_key'], '***', 'the override is listed, its value redacted')
    assert.equal(record.parameters.effective.storage.storage_options.secret_key, '***')

    const plan = await cli('dlio dry run', ['training', 'run', ...common, '-g', 'h100', '-n', '1', ...SMALL, ...SECRET_PARAM, '--engine', 'dlio', '--dry-run', '--json'])
    assert.match(plan.stdout, /secret_key=\*\*\*/, 'the plan\'s DLIO argv carries the override, redacted')
    const vectordb = await cli('vectordb uri', ['vectordb', 'run', '--uri', `http://admin:${URI_PASSWORD}@127.0.0.1:19530`, '--results-dir', results, '--dry-run', '--json'])
    assert.ok(vectordb.stdout.length > 0 || vectordb.stderr.length > 0)

    const report = join(dir, 'report')
    const reportgen = await cli('reportgen', ['reports', 'reportgen', '--results-dir', results, '--output-dir', report, '--json'])
    assert.equal(reportgen.exitCode, 0, reportgen.stdout + reportgen.stderr)
    const history = await cli('history list', ['history', 'list'])
    assert.match(history.stdout, /admin:\*\*\*@127\.0\.0\.1/, 'history keeps the user and host of the URI, not its password')
    await cli('history list --json', ['history', 'list', '--json'])

    for (const [label, result] of outputs) {
      assertNoSecretIn(`${label} stdout`, result.stdout)
      assertNoSecretIn(`${label} stderr`, result.stderr)
    }
    const written = [...filesUnder(results), ...filesUnder(report), ...filesUnder(home)].filter(file => statSync(file).size < 50 * 2 ** 20)
    assert.ok(written.some(file => file.endsWith('metadata.json')) && written.some(file => file.endsWith('report.html')) && written.some(file => file.endsWith('history.jsonl')))
    for (const file of written) assertNoSecretIn(file, readFileSync(file, 'latin1'))
  })
})
