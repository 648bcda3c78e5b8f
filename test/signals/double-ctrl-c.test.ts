import assert from 'node:assert/strict'
import {randomUUID} from 'node:crypto'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as delay} from 'node:timers/promises'
import {RunRecordSchema} from '../../src/results/run-record.js'
import {isolatedEnv, repoRoot, startCli, tempDir} from '../helpers/cli.js'
import {killMarked, markedProcesses, runLeavesUnder, TEST_MARK, tempFilesUnder, until} from './signal-helpers.js'

// the DLIO stand-in in its `hang` mode (every rank sleeps until killed): Open MPI then takes a second or more to stop 8 ranks on SIGTERM
const DLIO_STANDIN = join(repoRoot, 'fixtures', 'dlio', 'standin', 'dlio_benchmark')

describe('a double Ctrl-C during a checkpointing run (built CLI; real mpirun, stand-in dlio_benchmark)', function () {
  this.timeout(240_000)

  for (const secondAfterMs of [150, 800]) {
    it(`the second SIGINT ${secondAfterMs} ms after the first kills the ranks but not the record: INTERRUPTED, exit 130, no .tmp left`, async () => {
      const token = randomUUID()
      const dir = tempDir('mlps-double-')
      const config = join(dir, 'mlps.config.json')
      writeFileSync(config, JSON.stringify({engines: {dlio: {bin: DLIO_STANDIN}}, launcher: {type: 'openmpi'}, preflight: {skip: ['mlps.freeSpace', 'mlps.fsSeparation']}}))
      const env = {...isolatedEnv(join(dir, 'home')), DLIO_STANDIN_MODE: 'hang', [TEST_MARK]: token}
      try {
        const child = startCli(['checkpointing', 'run', '-m', 'llama3-8b', '-n', '8', '--client-host-memory-in-gb', '512', '--checkpoint-folder', join(dir, 'ckpt'),
          '--engine', 'dlio', '--open', '--results-dir', join(dir, 'results'), '--config', config, '--json'], {env})
        await until('the 8 ranks run', () => markedProcesses(token).filter(process => process.cmdline.includes('dlio_benchmark ') && !process.cmdline.includes('mpirun')).length === 8, 120_000)
        child.kill('SIGINT')
        await delay(secondAfterMs)
        child.kill('SIGINT')
        const result = await child
        // before issue 22 the second signal exited at once: the record stayed RUNNING beside its .metadata.json.<id>.tmp
        assert.equal(result.exitCode, 130, String(result.stderr))
        assert.equal((JSON.parse(String(result.stdout)) as {status: string}).status, 'INTERRUPTED')
        const leaves = runLeavesUnder(join(dir, 'results'))
        assert.equal(leaves.length, 1)
        const record = RunRecordSchema.parse(JSON.parse(readFileSync(join(leaves[0], 'metadata.json'), 'utf8')))
        assert.equal(record.status, 'INTERRUPTED')
        assert.equal(record.statusReason, 'stopped by SIGINT')
        assert.deepEqual(tempFilesUnder(dir), [])
        assert.match(String(result.stderr), /SIGINT received again: killing the run's processes now; the record is still written/)
        await until('no process of the run is left', () => markedProcesses(token).length === 0, 15_000)
      } finally {
        killMarked(token)
      }
    })
  }
})
