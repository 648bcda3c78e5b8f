import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {combine, readSource, shards, summaryOf, testFiles} from '../../scripts/test-shards.mjs'
import {repoRoot} from '../helpers/cli.js'

const ESC = String.fromCharCode(27)

describe('npm test\'s two mocha processes (scripts/test-shards.mjs)', () => {
  const files = testFiles(repoRoot)
  const source = readSource(repoRoot)

  it('runs every test file of the suite exactly once, whatever the number of jobs', () => {
    assert.ok(files.includes('test/scripts/test-shards.test.ts') && files.some(file => file.startsWith('plugins/engine-native/test/')))
    for (const jobs of [1, 2, 8]) {
      const planned = shards(files, jobs, source).flatMap(shard => shard.files)
      assert.deepEqual([...planned].sort(), files, `${jobs} jobs`)
    }
    assert.deepEqual(shards(files, 1, source).map(shard => shard.name), ['all'])
  })

  it('keeps every user of the launch lab, the SSH lab and the real engines in one process, and the campaign tree\'s users together in the other', () => {
    const [rest, hosts] = shards(files, 2, source)
    assert.deepEqual([rest.name, hosts.name], ['rest', 'hosts'])
    for (const file of files) {
      const text = readFileSync(join(repoRoot, file), 'utf8')
      if (text.includes('native-campaign-tree.js')) assert.ok(rest.files.includes(file), file)
      else if (/useLaunchLab\(|\bSshLab\b|requireEngines\(/.test(text)) assert.ok(hosts.files.includes(file), file)
    }
    assert.ok(hosts.files.includes('test/lab/native-across-hosts.test.ts') && hosts.files.includes('test/signals/sigkill-lab.test.ts'))
    assert.ok(rest.files.includes('test/e2e/submission-tree.test.ts') && rest.files.includes('test/cli/status-submit-runs.test.ts'))
  })

  it('reads the last summary of spec output, coloured or not', () => {
    const coloured = `  ${ESC}[32m 3 passing${ESC}[0m${ESC}[90m (2s)${ESC}[0m\n  ${ESC}[36m 1 pending${ESC}[0m\n  ${ESC}[31m 2 failing${ESC}[0m\n`
    assert.deepEqual(summaryOf(coloured), {passing: 3, failing: 2, pending: 1})
    assert.deepEqual(summaryOf('    ✔ counts 5 passing tests\n\n  7 passing (1m)\n'), {passing: 7, failing: undefined, pending: undefined})
  })

  it('adds the halves up, and counts a mocha that died without saying a test failed as a failure', () => {
    const ok = {name: 'rest', output: '  10 passing (3m)\n', code: 0, signal: null}
    assert.deepEqual(combine([ok, {name: 'hosts', output: '  4 passing (2m)\n  1 failing\n', code: 1, signal: null}]), {passing: 14, failing: 1, pending: 0, broken: []})
    const crashed = combine([ok, {name: 'hosts', output: 'Error: the launch lab cannot start\n', code: 1, signal: null}])
    assert.deepEqual([crashed.passing, crashed.failing, crashed.broken], [10, 1, ['hosts: mocha ended with exit code 1 before its summary']])
    const killed = combine([ok, {name: 'hosts', output: '  4 passing (2m)\n', code: null, signal: 'SIGKILL'}])
    assert.deepEqual([killed.failing, killed.broken], [1, ['hosts: mocha ended with SIGKILL, no test failing']])
  })
})
