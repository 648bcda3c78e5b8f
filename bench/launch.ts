import {randomUUID} from 'node:crypto'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {execa} from 'execa'
import {parseHosts} from '../src/hosts/parse-hosts.js'
import {buildLaunch} from '../src/launch/build-launch.js'
import {detectLauncher} from '../src/launch/detect-launcher.js'
import {processesOfRun} from '../src/launch/process-scan.js'
import {runLaunch} from '../src/launch/run-launch.js'
import {median} from './figures.js'

const runs = Number(process.env.MLPS_BENCH_RUNS ?? 7)

/**
 * What mlps's process-tree control costs on a real launch: 4 ranks of /bin/true under mpirun through
 * runLaunch (own process group, streamed log files, line splitting, stray scan) against the same argv
 * run by a bare execa, interleaved; plus one /proc scan for a run's processes.
 */
export async function benchLaunch(): Promise<Record<string, unknown>> {
  const launcher = await detectLauncher({type: 'openmpi', numProcesses: 4, hosts: [{name: 'localhost'}]})
  const dir = mkdtempSync(join(tmpdir(), 'mlps-bench-launch-'))
  const settings = {extraArgs: [], oversubscribe: true, allowRunAsRoot: 'auto' as const, envAllowList: []}
  const bare: number[] = []
  const managed: number[] = []
  const scans: number[] = []
  for (let i = 0; i < runs; i++) {
    const command = buildLaunch(launcher, {command: ['/bin/true'], numProcesses: 4, hosts: parseHosts(['localhost:4']), runId: randomUUID(), settings})
    let start = performance.now()
    await execa(command.argv[0], command.argv.slice(1), {env: command.env, stdin: 'ignore'})
    bare.push(performance.now() - start)
    start = performance.now()
    const outcome = await runLaunch(command, {stdoutFile: join(dir, `${i}.out`), stderrFile: join(dir, `${i}.err`)})
    managed.push(performance.now() - start)
    if (outcome.status !== 'COMPLETED') throw new Error(`bench launch failed: ${outcome.reason}`)
    start = performance.now()
    processesOfRun(command.runId)
    scans.push(performance.now() - start)
  }
  const base = median(bare)
  const ours = median(managed)
  return {bench: 'launch', ranks: 4, runs, bareExecaMs: Math.round(base), runLaunchMs: Math.round(ours), ratio: Number((ours / base).toFixed(3)), procScanMs: Number(median(scans).toFixed(2))}
}
