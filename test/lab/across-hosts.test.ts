import assert from 'node:assert/strict'
import {randomUUID} from 'node:crypto'
import {chmodSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseHosts} from '../../src/hosts/parse-hosts.js'
import {buildLaunch} from '../../src/launch/build-launch.js'
import {detectLauncher, type LauncherType} from '../../src/launch/detect-launcher.js'
import type {LaunchCommand} from '../../src/launch/launcher.js'
import {processesOfRun} from '../../src/launch/process-scan.js'
import {runLaunch} from '../../src/launch/run-launch.js'
import {tempDir} from '../helpers/cli.js'
import {LAB_HOSTS} from './launch-lab.js'
import {useLaunchLab} from './use-lab.js'

// Each rank says who it is and which sshd address it came in through (SSH_CONNECTION's server address).
const RANK_PROGRAM = `#!/bin/sh
rank=\${OMPI_COMM_WORLD_RANK:-\${PMI_RANK:-\${SLURM_PROCID:-0}}}
set -- $SSH_CONNECTION
echo "rank=$rank via=\${3:-none} run=$MLPS_RUN_ID"
[ "$rank" = "\${FAIL_RANK:-none}" ] && exit 3
[ -n "\${SLEEP:-}" ] && exec sleep "$SLEEP"
exit 0
`

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now()
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting')
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

describe('launching across the three lab hosts (real sshd on 127.0.0.2-4, real Open MPI and MPICH)', function () {
  this.timeout(120_000)
  const lab = useLaunchLab()
  let program: string

  before(() => {
    program = join(tempDir('mlps-lab-rank-'), 'rank.sh')
    writeFileSync(program, RANK_PROGRAM)
    chmodSync(program, 0o755)
  })

  async function launch(type: LauncherType, env: Record<string, string> = {}): Promise<LaunchCommand> {
    const hosts = parseHosts([LAB_HOSTS.join(',')])
    const launcher = await detectLauncher({type, numProcesses: 3, hosts})
    const command = buildLaunch(launcher, {command: [program], numProcesses: 3, hosts, runId: randomUUID(), env, settings: {extraArgs: [], oversubscribe: false, allowRunAsRoot: 'auto', envAllowList: []}})
    // the rsh agent that reaches the lab's sshd, in the launcher's environment only, as a site sets it
    return {...command, env: {...command.env, ...lab().env()}}
  }

  for (const type of ['openmpi', 'mpich'] as const) {
    it(`${type}: one rank per host, each started through that host's sshd, MLPS_RUN_ID on every rank`, async () => {
      const command = await launch(type)
      const lines: string[] = []
      const outcome = await runLaunch(command, {onLine: (line, stream) => { if (stream === 'stdout' && line.startsWith('rank=')) lines.push(line) }})
      assert.equal(outcome.status, 'COMPLETED', outcome.reason)
      assert.deepEqual(lines.sort(), [0, 1, 2].map(rank => `rank=${rank} via=${LAB_HOSTS[rank]} run=${command.runId}`))
      assert.equal(outcome.strays, 0)
      assert.deepEqual(processesOfRun(command.runId), [])
    })
  }

  it('openmpi: a rank failing on 127.0.0.3 makes the launch FAILED, naming that rank and host whenever Open MPI says which', async () => {
    const outcome = await runLaunch(await launch('openmpi', {FAIL_RANK: '1'}))
    assert.equal(outcome.status, 'FAILED')
    // Open MPI does not always print its "Process name / Exit code" text under load (1 run in 5 here); when it does, the rank and host are named
    // (the built-CLI test through the launch lab requires the naming); never another rank or host
    assert.match(outcome.reason ?? '', /^mpirun exited with code 3( \(rank 1 on 127\.0\.0\.3 exited with code 3\))?$/)
  })

  it('mpich: a rank failing on a remote host makes the launch FAILED with its exit code', async () => {
    const outcome = await runLaunch(await launch('mpich', {FAIL_RANK: '1'}))
    assert.equal(outcome.status, 'FAILED')
    assert.match(outcome.reason ?? '', /^mpiexec\.(mpich|hydra) exited with code 3$/)
  })

  for (const type of ['openmpi', 'mpich'] as const) {
    it(`${type}: SIGINT stops every rank on every host: INTERRUPTED, no process of the run left`, async () => {
      const command = await launch(type, {SLEEP: '300'})
      const abort = new AbortController()
      const running = runLaunch(command, {signal: abort.signal, terminateGraceMs: 10_000})
      // the three sleeping ranks, one behind each sshd
      await until(() => processesOfRun(command.runId).filter(pid => /sleep/.test(cmdline(pid))).length === 3)
      abort.abort('SIGINT')
      const outcome = await running
      assert.equal(outcome.status, 'INTERRUPTED')
      await until(() => processesOfRun(command.runId).length === 0, 10_000)
    })
  }

  it('openmpi: healthy runs across hosts leave no stray, 8 times out of 8 (mpirun\'s ssh children are given their moment)', async () => {
    for (let run = 0; run < 8; run++) {
      let outcome = await runLaunch(await launch('openmpi'))
      // exit 255 is mpirun failing to reach a host's sshd (it happens on these 2 loaded cores), not a run that ended: start that one again, once
      if (outcome.exitCode === 255) outcome = await runLaunch(await launch('openmpi'))
      assert.equal(outcome.status, 'COMPLETED', outcome.reason)
      assert.equal(outcome.strays, 0, `run ${run + 1}`)
    }
  })
})

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
  } catch {
    return ''
  }
}
