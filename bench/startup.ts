import {execFileSync} from 'node:child_process'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const runs = Number(process.env.MLPS_BENCH_RUNS ?? 15)

function timeOnce(args: string[]): number {
  const start = performance.now()
  execFileSync(process.execPath, args, {cwd: root, stdio: 'ignore'})
  return performance.now() - start
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/** Cold start of `mlps --version` against `node -e 0`, interleaved so load hits both alike. */
export function benchStartup(): Record<string, unknown> {
  const baseline: number[] = []
  const mlps: number[] = []
  const help: number[] = []
  timeOnce([join(root, 'bin', 'run.js'), '--version'])
  for (let i = 0; i < runs; i++) {
    baseline.push(timeOnce(['-e', '0']))
    mlps.push(timeOnce([join(root, 'bin', 'run.js'), '--version']))
    help.push(timeOnce([join(root, 'bin', 'run.js'), '--help']))
  }
  const base = median(baseline)
  return {
    bench: 'startup',
    runs,
    node_e0_median_ms: round(base),
    mlps_version_median_ms: round(median(mlps)),
    mlps_help_median_ms: round(median(help)),
    version_ratio: round(median(mlps) / base),
    help_ratio: round(median(help) / base),
    aim: 'version_ratio < 3',
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}
