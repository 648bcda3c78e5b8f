import assert from 'node:assert/strict'
import {chmodSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {randomUUID} from 'node:crypto'
import {parseHosts} from '../../src/hosts/parse-hosts.js'
import {buildLaunch} from '../../src/launch/build-launch.js'
import {detectLauncher} from '../../src/launch/detect-launcher.js'
import type {LaunchCommand} from '../../src/launch/launcher.js'
import {processesOfRun} from '../../src/launch/process-scan.js'
import {runLaunch} from '../../src/launch/run-launch.js'
import {tempDir} from '../helpers/cli.js'

// A small real rank program: prints what it sees, can fail one rank, can sleep (exec keeps the environment).
const RANK_PROGRAM = `#!/bin/sh
rank=\${OMPI_COMM_WORLD_RANK:-0}
echo "rank=$rank size=\${OMPI_COMM_WORLD_SIZE:-1} forwarded=\${MLPS_TEST_FORWARDED:-unset} set=\${MLPS_TEST_SET:-unset} run=$MLPS_RUN_ID"
[ "$rank" = "\${FAIL_RANK:-none}" ] && exit 3
[ -n "\${IGNORE_TERM:-}" ] && trap '' TERM
[ -n "\${SLEEP:-}" ] && exec sleep "$SLEEP"
exit 0
`

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now()
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting')
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

describe('launching 4 ranks through real mpirun (Open MPI 4.1, as root)', function () {
  this.timeout(120_000)
  let program: string
  let dir: string

  before(() => {
    dir = tempDir('mlps-launch-')
    program = join(dir, 'rank.sh')
    writeFileSync(program, RANK_PROGRAM)
    chmodSync(program, 0o755)
  })

  async function launch(env: Record<string, string> = {}, allow: string[] = []): Promise<LaunchCommand> {
    const launcher = await detectLauncher({type: 'openmpi', numProcesses: 4, hosts: [{name: 'localhost'}]})
    return buildLaunch(launcher, {
      command: [program], numProcesses: 4, hosts: parseHosts(['localhost:4']), runId: randomUUID(), env,
      settings: {extraArgs: [], oversubscribe: true, allowRunAsRoot: 'auto', envAllowList: allow},
    })
  }

  it('starts every rank once, forwards the allow-list and mlps\'s variables, and logs each stream to its file', async () => {
    process.env.MLPS_TEST_FORWARDED = 'from-the-allow-list'
    try {
      const command = await launch({MLPS_TEST_SET: 'set-by-mlps'}, ['MLPS_TEST_FORWARDED'])
      assert.ok(command.argv.includes('MLPS_TEST_FORWARDED'), 'the allow-listed name is on the -x list')
      const lines: string[] = []
      const stdoutFile = join(dir, 'ok.stdout.log')
      const outcome = await runLaunch(command, {onLine: (line, stream) => { if (stream === 'stdout') lines.push(line) }, stdoutFile, stderrFile: join(dir, 'ok.stderr.log')})
      assert.equal(outcome.status, 'COMPLETED', outcome.reason)
      assert.equal(outcome.exitCode, 0)
      const ranks = lines.filter(line => line.startsWith('rank=')).sort()
      assert.deepEqual(ranks.map(line => line.split(' ')[0]), ['rank=0', 'rank=1', 'rank=2', 'rank=3'])
      for (const line of ranks) assert.equal(line.split(' ').slice(1).join(' '), `size=4 forwarded=from-the-allow-list set=set-by-mlps run=${command.runId}`)
      assert.deepEqual(readFileSync(stdoutFile, 'utf8').split('\n').filter(line => line.startsWith('rank=')).sort(), ranks)
      assert.deepEqual(processesOfRun(command.runId), [])
    } finally {
      delete process.env.MLPS_TEST_FORWARDED
    }
  })

  it('turns one rank exiting 3 into FAILED with mpirun\'s exit code', async () => {
    const command = await launch({FAIL_RANK: '2'})
    const outcome = await runLaunch(command, {})
    assert.equal(outcome.status, 'FAILED')
    assert.equal(outcome.exitCode, 3)
    assert.equal(outcome.reason, 'mpirun exited with code 3')
    assert.deepEqual(processesOfRun(command.runId), [])
  })

  it('on SIGINT stops mpirun and every rank: INTERRUPTED, no process of the run left', async () => {
    const command = await launch({SLEEP: '300'})
    const abort = new AbortController()
    const running = runLaunch(command, {signal: abort.signal, terminateGraceMs: 10_000})
    // mpirun and the four sleeping ranks carry the run's MLPS_RUN_ID
    await until(() => processesOfRun(command.runId).length >= 5)
    abort.abort('SIGINT')
    const outcome = await running
    assert.equal(outcome.status, 'INTERRUPTED')
    assert.equal(outcome.reason, 'stopped by SIGINT')
    assert.deepEqual(processesOfRun(command.runId), [])
  })

  it('kills ranks that ignore SIGTERM once the grace period is over', async () => {
    const command = await launch({SLEEP: '300', IGNORE_TERM: '1'})
    const abort = new AbortController()
    const running = runLaunch(command, {signal: abort.signal, terminateGraceMs: 1500})
    await until(() => processesOfRun(command.runId).length >= 5)
    abort.abort('SIGTERM')
    const outcome = await running
    assert.equal(outcome.status, 'INTERRUPTED')
    assert.deepEqual(processesOfRun(command.runId), [])
  })

  it('the watchdog stops a run that stays silent, which then FAILS', async () => {
    const command = await launch({SLEEP: '300'})
    let warned = 0
    const outcome = await runLaunch(command, {terminateGraceMs: 10_000, watchdog: {silentMs: 1500, action: 'stop', checkEveryMs: 100, onSilent: () => warned++}})
    assert.equal(outcome.status, 'FAILED')
    assert.match(outcome.reason ?? '', /watchdog/)
    assert.equal(warned, 1)
    assert.ok(outcome.watchdogFired)
    assert.deepEqual(processesOfRun(command.runId), [])
  })
})

describe('the local launcher', function () {
  this.timeout(60_000)

  it('kills a background child the program left holding its output, and says so', async () => {
    const runId = randomUUID()
    const command = buildLaunch({kind: 'local'}, {
      command: ['/bin/sh', '-c', 'sleep 300 & echo started'], numProcesses: 1, hosts: [{name: 'localhost'}], runId,
      settings: {extraArgs: [], oversubscribe: false, allowRunAsRoot: 'auto', envAllowList: []},
    })
    const outcome = await runLaunch(command, {})
    assert.equal(outcome.status, 'COMPLETED')
    assert.equal(outcome.strays, 1)
    assert.deepEqual(processesOfRun(runId), [])
  })

  it('does not count a child that ends a moment after the launcher as a stray (mpirun\'s ssh children do)', async () => {
    const runId = randomUUID()
    const command = buildLaunch({kind: 'local'}, {
      command: ['/bin/sh', '-c', 'sleep 0.5 </dev/null >/dev/null 2>&1 & echo started'], numProcesses: 1, hosts: [{name: 'localhost'}], runId,
      settings: {extraArgs: [], oversubscribe: false, allowRunAsRoot: 'auto', envAllowList: []},
    })
    const outcome = await runLaunch(command, {})
    assert.equal(outcome.status, 'COMPLETED')
    assert.equal(outcome.strays, 0)
    assert.deepEqual(processesOfRun(runId), [])
  })

  it('reports a program that cannot start as FAILED, naming it', async () => {
    const command = buildLaunch({kind: 'local'}, {
      command: ['/nonexistent/dlio_benchmark'], numProcesses: 1, hosts: [{name: 'localhost'}], runId: randomUUID(),
      settings: {extraArgs: [], oversubscribe: false, allowRunAsRoot: 'auto', envAllowList: []},
    })
    const outcome = await runLaunch(command, {})
    assert.equal(outcome.status, 'FAILED')
    assert.match(outcome.reason ?? '', /could not start \/nonexistent\/dlio_benchmark: ENOENT/)
  })

  it('takes a failing watchdog probe for no news: the run goes on and completes', async () => {
    const command = buildLaunch({kind: 'local'}, {
      command: ['/bin/sh', '-c', 'sleep 1; echo done'], numProcesses: 1, hosts: [{name: 'localhost'}], runId: randomUUID(),
      settings: {extraArgs: [], oversubscribe: false, allowRunAsRoot: 'auto', envAllowList: []},
    })
    let probes = 0
    // outside mocha an unhandled rejection ends the process; mocha only logs it, so catch it here
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      const outcome = await runLaunch(command, {
        watchdog: {silentMs: 60_000, action: 'stop', checkEveryMs: 50, activity: async () => {
          probes++
          throw new Error('the log file is gone')
        }},
      })
      await new Promise(resolve => setImmediate(resolve))
      assert.equal(outcome.status, 'COMPLETED')
      assert.equal(outcome.watchdogFired, false)
      assert.ok(probes > 0, 'the probe ran')
      assert.deepEqual(unhandled, [])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })
})
