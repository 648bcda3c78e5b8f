import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {isolatedEnv} from '../test/helpers/cli.js'
import {childrenCpuSeconds} from './cpu-time.js'
import {median, round} from './figures.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const runs = Number(process.env.MLPS_BENCH_RUNS ?? 15)

interface Sample {
  wallMs: number
  cpuMs: number
}

function timeOnce(args: string[], env: NodeJS.ProcessEnv): Sample {
  const cpuBefore = childrenCpuSeconds()
  const start = performance.now()
  const result = spawnSync(process.execPath, args, {cwd: root, stdio: 'ignore', env})
  const wallMs = performance.now() - start
  if (result.error) throw result.error
  return {wallMs, cpuMs: (childrenCpuSeconds() - cpuBefore) * 1000}
}

/**
 * Cold start of each command a user types first, against `node -e 0`,
 * interleaved so the machine's load hits every command and the baseline alike.
 * Aims (issue "Fast where users feel it"): `--version` ≤ 2× the baseline,
 * `training datasize` ≤ 0.3 s (the reference Python tool answers in 0.21–0.28 s).
 */
export function benchStartup(): Record<string, unknown> {
  const scratch = mkdtempSync(join(tmpdir(), 'mlps-bench-startup-'))
  const env = isolatedEnv(scratch)
  const cli = join(root, 'bin', 'run.js')
  const commands: Record<string, string[]> = {
    version: ['--version'],
    help: ['--help'],
    training_datasize: ['training', 'datasize', '--model', 'unet3d', '--accelerator-type', 'h100', '--max-accelerators', '8', '--client-host-memory-in-gb', '64', '--num-client-hosts', '1', '--open', '--results-dir', join(scratch, 'results')],
    config_show: ['config', 'show'],
    verify_one_leaf: ['verify', join(root, 'fixtures', 'checkpointing-v3.0', 'closed', 'SAMSUNG', 'results', 'MEMORY_AE', 'checkpointing', 'llama3-8b', '20260721_000424')],
    doctor_local: ['doctor', '--engine', 'native'],
  }
  try {
    const baseline: Sample[] = []
    const samples = Object.fromEntries(Object.keys(commands).map(name => [name, [] as Sample[]]))
    for (const args of Object.values(commands)) timeOnce([cli, ...args], env)
    for (let i = 0; i < runs; i++) {
      baseline.push(timeOnce(['-e', '0'], env))
      for (const [name, args] of Object.entries(commands)) samples[name].push(timeOnce([cli, ...args], env))
    }
    const baseWall = median(baseline.map(sample => sample.wallMs))
    const figures: Record<string, unknown> = {}
    for (const [name, taken] of Object.entries(samples)) {
      const wall = median(taken.map(sample => sample.wallMs))
      figures[`${name}_median_ms`] = round(wall)
      figures[`${name}_cpu_median_ms`] = round(median(taken.map(sample => sample.cpuMs)))
      figures[`${name}_ratio`] = round(wall / baseWall)
    }
    return {
      bench: 'startup',
      runs,
      node_e0_median_ms: round(baseWall),
      node_e0_cpu_median_ms: round(median(baseline.map(sample => sample.cpuMs))),
      ...figures,
      aim: 'version_ratio ≤ 2; training_datasize_median_ms ≤ 300',
    }
  } finally {
    rmSync(scratch, {recursive: true, force: true})
  }
}
