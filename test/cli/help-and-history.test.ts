import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {ExitCode, exitCodeDescriptions} from '../../src/exit-codes.js'
import {isolatedEnv, parseJson, repoRoot, runCli, startCli, tempDir} from '../helpers/cli.js'

describe('mlps help, exit codes and history (built CLI)', () => {
  it('--help shows every topic, each with its commands', async () => {
    const result = await runCli(['--help'])
    assert.equal(result.exitCode, 0)
    for (const topic of ['training', 'checkpointing', 'kvcache', 'vectordb', 'reports', 'verify', 'history', 'config', 'doctor', 'plugins', 'cluster']) {
      assert.match(result.stdout, new RegExp(`^\\s+${topic}\\s`, 'm'), `${topic} is listed`)
    }
    const training = await runCli(['training', '--help'])
    for (const command of ['datasize', 'datagen', 'run', 'configview']) assert.match(training.stdout, new RegExp(`training ${command}`))
  })

  it('docs/exit-codes.md lists exactly the codes the CLI uses', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'exit-codes.md'), 'utf8')
    const rows = [...doc.matchAll(/^\|\s*(\d+)\s*\|/gm)].map(match => Number(match[1]))
    const codes = Object.values(ExitCode).filter((value): value is number => typeof value === 'number')
    assert.deepEqual(rows, codes)
    for (const code of codes) assert.ok(exitCodeDescriptions[code as ExitCode])
  })

  it('records invocations with secrets redacted, shows them, and reruns the exact argv', async () => {
    const env = isolatedEnv()
    const cwd = tempDir()
    await runCli(['config', 'show', '--json', '--config', 'missing.yaml'], {env, cwd})
    await runCli(['training', 'configview', '--model', 'unet3d', '--accelerator-type', 'b200', '--param', 'storage.secret_key=s3cr3t', '--json'], {env, cwd})
    const list = parseJson<{entries: Array<{number: number; argv: string[]; exitCode: number}>}>(await runCli(['history', 'list', '--json'], {env, cwd}))
    assert.equal(list.entries.length, 2, 'history commands themselves are not recorded')
    assert.deepEqual(list.entries[0].argv, ['config', 'show', '--json', '--config', 'missing.yaml'])
    assert.equal(list.entries[0].exitCode, 2)
    assert.ok(list.entries[1].argv.includes('storage.secret_key=***'))
    assert.ok(!JSON.stringify(list).includes('s3cr3t'))

    const shown = parseJson<{argv: string[]; cwd: string}>(await runCli(['history', 'show', '1', '--json'], {env}))
    assert.equal(shown.cwd, cwd)
    const rerun = await runCli(['history', 'rerun', '1'], {env})
    assert.equal(rerun.exitCode, 2, 'the replayed command fails the same way')
    assert.match(rerun.stdout + rerun.stderr, /missing\.yaml does not exist/)
    const refused = await runCli(['history', 'rerun', '2'], {env})
    assert.equal(refused.exitCode, 2)
    assert.match(refused.stderr, /redacted/)
    assert.equal(parseJson<{entries: unknown[]}>(await runCli(['history', 'list', '--json'], {env})).entries.length, 3)
  })

  it('an invocation killed mid-way keeps its line (killed); history list filters by benchmark, status and date', async () => {
    const env = isolatedEnv()
    const work = tempDir()
    await runCli(['config', 'show', '--json'], {env})
    await runCli(['training', 'datasize', '--model', 'unet3d', '--accelerator-type', 'h100', '--max-accelerators', '1', '--client-host-memory-in-gb', '1', '--open', '--results-dir', join(work, 'results')], {env})
    // a datagen that would write for minutes, SIGKILLed once its start is in the history: no handler runs, no end line
    const history = join(env.MLPS_DATA_DIR!, 'history.jsonl')
    const datagen = startCli(['training', 'datagen', '--model', 'unet3d', '--num-accelerators', '1', '--open', '--data-dir', join(work, 'data'), '--results-dir', join(work, 'results'),
      '--param', 'dataset.num_files_train=200000', '--param', 'dataset.record_length_bytes=4096', '--param', 'dataset.record_length_bytes_stdev=0'], {env})
    while (!(existsSync(history) && readFileSync(history, 'utf8').includes('"datagen"'))) await new Promise(resolve => setTimeout(resolve, 50))
    datagen.kill('SIGKILL')
    await datagen

    type Listed = {entries: Array<{command: string; status: string; exitCode?: number}>}
    const list = async (...filters: string[]) => parseJson<Listed>(await runCli(['history', 'list', '--json', ...filters], {env})).entries
    assert.deepEqual((await list()).map(entry => [entry.command, entry.status]), [['config show', 'completed'], ['training datasize', 'completed'], ['training datagen', 'killed']])
    assert.deepEqual((await list('--status', 'killed')).map(entry => [entry.command, entry.exitCode]), [['training datagen', undefined]])
    assert.deepEqual((await list('--benchmark', 'training', '--status', 'completed')).map(entry => entry.command), ['training datasize'])
    const today = new Date().toISOString().slice(0, 10)
    assert.equal((await list('--since', today, '--until', today)).length, 3)
    assert.deepEqual(await list('--until', '2020-01-01'), [])
    const badDate = await runCli(['history', 'list', '--since', 'yesterday-ish'], {env})
    assert.equal(badDate.exitCode, 2)
    assert.match(badDate.stderr, /--since "yesterday-ish" is not a date or time/)
  })
})
