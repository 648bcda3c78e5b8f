import {randomUUID} from 'node:crypto'
import {execa} from 'execa'
import {parseHosts} from '../src/hosts/parse-hosts.js'
import {buildLaunch} from '../src/launch/build-launch.js'
import {detectLauncher, type LauncherType} from '../src/launch/detect-launcher.js'
import {LAB_HOSTS, LaunchLab} from '../test/lab/launch-lab.js'
import {labObstacles} from '../test/lab/lab-requirements.js'
import {median} from './figures.js'

const RUNS = Number(process.env.MLPS_BENCH_RUNS ?? 5)

/**
 * What each launcher costs to start 3 ranks of /bin/true, against one bare start of /bin/true, in the
 * launch lab: srun on its single-node Slurm (a job per launch), mpiexec.mpich and Open MPI's mpirun
 * across the three sshd hosts (127.0.0.2-4, a remote daemon per host). The argv is mlps's own
 * (buildLaunch); runs are interleaved so the machine's load falls on all alike.
 */
export async function benchLaunchers(): Promise<Record<string, unknown>> {
  const obstacles = labObstacles()
  if (obstacles.length > 0) return {bench: 'launchers', skipped: obstacles.join('; ')}
  const lab = await LaunchLab.start()
  try {
    const env = {...process.env, ...lab.env()}
    const settings = {extraArgs: [], oversubscribe: false, allowRunAsRoot: 'auto' as const, envAllowList: []}
    const setups: Array<[string, LauncherType, string[]]> = [['srun', 'srun', ['localhost']], ['mpiexec_mpich_3_hosts', 'mpich', [...LAB_HOSTS]], ['mpirun_3_hosts', 'openmpi', [...LAB_HOSTS]]]
    const commands = await Promise.all(setups.map(async ([name, type, hosts]) => {
      const slots = parseHosts([hosts.join(',')])
      const launcher = await detectLauncher({type, numProcesses: 3, hosts: slots, env})
      return {name, argv: buildLaunch(launcher, {command: ['/bin/true'], numProcesses: 3, hosts: slots, runId: randomUUID(), settings, parentEnv: {}}).argv}
    }))
    const times: Record<string, number[]> = {bare: [], ...Object.fromEntries(commands.map(({name}) => [name, []]))}
    for (let run = 0; run < RUNS; run++) {
      let begin = performance.now()
      await execa('/bin/true', [], {stdin: 'ignore'})
      times.bare.push(performance.now() - begin)
      for (const {name, argv} of commands) {
        begin = performance.now()
        await execa(argv[0], argv.slice(1), {env, stdin: 'ignore'})
        times[name].push(performance.now() - begin)
      }
    }
    const bare = median(times.bare)
    const figures: Record<string, unknown> = {bench: 'launchers', ranks: 3, runs: RUNS, bareStartMs: Number(bare.toFixed(2))}
    for (const {name} of commands) {
      figures[`${name}_ms`] = Math.round(median(times[name]))
      figures[`${name}_ratio`] = Number((median(times[name]) / bare).toFixed(1))
    }
    return figures
  } finally {
    await lab.stop()
  }
}
