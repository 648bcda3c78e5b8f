import assert from 'node:assert/strict'
import {randomUUID} from 'node:crypto'
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {requireEngines} from '../engines-real/engines.js'
import {isolatedEnv, startCli, tempDir} from '../helpers/cli.js'
import {killMarked, markedProcesses, TEST_MARK, until} from './signal-helpers.js'

/** docs/signals.md: the guardian gives kv-cache.py's ranks 5 s after SIGTERM; the test allows more for a loaded machine */
const RANKS_GONE_WITHIN_MS = 20_000

describe('SIGKILL of mlps during a kv-cache.py run without MPI (built CLI, real kv-cache.py)', function () {
  this.timeout(180_000)

  it('both ranks, started by mlps itself rather than a launcher, die with mlps', async function () {
    const {python, kvcacheScript} = requireEngines(this)
    const token = randomUUID()
    const dir = tempDir('mlps-sigkill-kv-')
    try {
      const child = startCli(['kvcache', 'run', '--open', '--engine', 'kvcache-py', '--trials', '1', '--inter-option-delay', '0', '--option', '1',
        '--duration', '120', '--num-users', '1', '--model', 'tiny-1b', '-n', '2', '--python', python, '--kvcache-bin-path', kvcacheScript,
        '--cache-dir', join(dir, 'cache'), '--results-dir', join(dir, 'results')], {env: {...isolatedEnv(), [TEST_MARK]: token}})
      const ranks = () => markedProcesses(token).filter(process => /kv-cache\.py --config /.test(process.cmdline))
      await until('both kv-cache.py ranks run', () => ranks().length === 2, 120_000)
      // past their start-up, so a rank that ends by itself (a bad environment) does not pass for one killed with mlps
      await new Promise(resolve => setTimeout(resolve, 3000))
      assert.equal(ranks().length, 2, `the ranks ended before mlps was killed: ${readdirSync(dir, {recursive: true}).join(', ')}`)
      child.kill('SIGKILL')
      await child.catch(() => {})
      // before, both ranks ran on for the rest of their 120 s: execa's cleanup needs mlps alive to run
      await until(() => `no kv-cache.py rank is left (still: ${JSON.stringify(ranks())})`, () => ranks().length === 0, RANKS_GONE_WITHIN_MS)
    } finally {
      killMarked(token)
    }
  })
})
