import assert from 'node:assert/strict'
import {randomUUID} from 'node:crypto'
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {RunRecordSchema} from '../../src/results/run-record.js'
import {isolatedEnv, repoRoot, runCli, startCli, tempDir} from '../helpers/cli.js'
import {LAB_HOSTS} from '../lab/launch-lab.js'
import {useLaunchLab} from '../lab/use-lab.js'
import {killMarked, markedProcesses, runLeavesUnder, TEST_MARK, until} from './signal-helpers.js'

const DLIO_STANDIN = join(repoRoot, 'fixtures', 'dlio', 'standin', 'dlio_benchmark')
/** docs/signals.md; more than the ~1.5 s measured, for a loaded machine */
const GONE_WITHIN_MS = 15_000

/** Processes whose MLPS_RUN_ID is the run's id or one of its per-host ids (`<id>.<n>`): on the lab's loopback hosts, every host's. */
function processesOfRun(runId: string): number[] {
  return readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).map(Number).filter(pid => {
    try {
      const runs = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(line => line.startsWith('MLPS_RUN_ID='))
      return runs.some(line => line === `MLPS_RUN_ID=${runId}` || line.startsWith(`MLPS_RUN_ID=${runId}.`))
    } catch {
      return false
    }
  })
}

function killRun(runId: string | undefined): void {
  if (!runId) return
  for (const pid of processesOfRun(runId)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
}

describe('SIGKILL of mlps in the launch lab (built CLI; real srun, real sshd on 127.0.0.2-4)', function () {
  this.timeout(240_000)
  const lab = useLaunchLab()

  it('srun (stand-in dlio_benchmark hanging): both tasks die with mlps', async () => {
    const token = randomUUID()
    const dir = tempDir('mlps-sigkill-srun-')
    const train = join(dir, 'data', 'unet3d', 'train')
    mkdirSync(train, {recursive: true})
    for (let i = 0; i < 8; i++) writeFileSync(join(train, `img_${i}_of_8.npz`), '')
    const config = join(dir, 'mlps.config.json')
    writeFileSync(config, JSON.stringify({engines: {dlio: {bin: DLIO_STANDIN}}, launcher: {type: 'srun'}, preflight: {skip: ['mlps.fsSeparation']}}))
    const env = {...isolatedEnv(), ...lab().env(), DLIO_STANDIN_MODE: 'hang', [TEST_MARK]: token}
    try {
      await lab().slurmIdle()
      const child = startCli(['training', 'run', '-m', 'unet3d', '-g', 'b200', '-n', '2', '--data-dir', join(dir, 'data'), '--results-dir', join(dir, 'results'),
        '--param', 'dataset.num_files_train=8', '--engine', 'dlio', '--config', config], {env})
      let said = ''
      child.stderr?.on('data', (chunk: Buffer) => { said += chunk.toString() })
      // slurmd starts the tasks; srun --export=ALL gives them mlps's environment, the test's mark included
      await until(() => `both tasks run (mlps ${child.exitCode === null ? 'still running' : `exited ${child.exitCode}`}; Slurm: ${lab().slurmState()}; mlps said: ${said.slice(-2000)})`,
        () => markedProcesses(token).filter(process => process.cmdline.includes('dlio_benchmark ') && !process.cmdline.startsWith('srun')).length === 2, 90_000)
      child.kill('SIGKILL')
      await child
      await until(() => `no task is left (still: ${JSON.stringify(markedProcesses(token))})`, () => markedProcesses(token).length === 0, GONE_WITHIN_MS)
    } finally {
      killMarked(token)
    }
  })

  it('native engine over ssh to the three hosts: every host\'s worker dies with mlps', async () => {
    const dir = tempDir('mlps-sigkill-ssh-')
    const data = join(dir, 'data')
    const workload = ['-m', 'unet3d', '--param', 'dataset.num_files_train=96', '--param', 'dataset.record_length_bytes=65536', '--param', 'dataset.record_length_bytes_stdev=0']
    const datagen = await runCli(['training', 'datagen', ...workload, '--data-dir', data, '-n', '2', '--engine', 'native', '--results-dir', join(dir, 'gen'), '--json'], {env: isolatedEnv()})
    assert.equal(datagen.exitCode, 0, datagen.stderr)
    const config = join(dir, 'mlps.config.json')
    writeFileSync(config, JSON.stringify({ssh: lab().sshSettings(), engines: {native: {launch: 'ssh'}}}))
    const results = join(dir, 'results')
    let runId: string | undefined
    try {
      const child = startCli(['training', 'run', ...workload, '-g', 'h100', '-n', '3', '--open', '--data-dir', data, '--results-dir', results, '--engine', 'native',
        '--param', 'train.epochs=20', '--param', 'train.computation_time=1', '--hosts', LAB_HOSTS.join(','), '--config', config], {env: {...isolatedEnv(), ...lab().env()}})
      const workers = () => runId ? processesOfRun(runId).filter(pid => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[1]?.endsWith('host-worker-main.js')
        } catch {
          return false
        }
      }) : []
      await until('a worker on every host', () => {
        const [leaf] = runLeavesUnder(results)
        if (leaf && !runId) runId = RunRecordSchema.parse(JSON.parse(readFileSync(join(leaf, 'metadata.json'), 'utf8'))).runId
        return workers().length === 3
      }, 90_000)
      child.kill('SIGKILL')
      await child
      await until(() => `no process of the run is left on any host (still: ${processesOfRun(runId!).join(', ')})`, () => processesOfRun(runId!).length === 0, GONE_WITHIN_MS)
    } finally {
      killRun(runId)
    }
  })
})
