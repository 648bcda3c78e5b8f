// `npm start`: the main job on a fresh machine. Sizes, generates and runs a
// real training workload (unet3d on emulated H100s) on the built-in native
// engine, scaled down with --param so it finishes in under a minute, then
// says what it measured and where the run leaf is.
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join, resolve} from 'node:path'

const bin = new URL('../bin/run.js', import.meta.url).pathname
const dataDir = resolve(process.env.MLPS_MAIN_JOB_DATA_DIR ?? 'mlps-data')
const resultsDir = resolve(process.env.MLPS_MAIN_JOB_RESULTS_DIR ?? 'mlps-results')
const scaledDown = [
  '--param', 'dataset.num_files_train=140',
  '--param', 'dataset.record_length_bytes=2097152',
  '--param', 'dataset.record_length_bytes_stdev=524288',
]
// the demo names its tree and system itself, as a site would; a tree a user already initialised keeps its organization
const systemName = process.env.MLPS_SYSTEM_NAME ?? 'example-system'
const common = ['--model', 'unet3d', '--data-dir', dataDir, '--results-dir', resultsDir, '--system-name', systemName, '--open', ...scaledDown]

function mlps(args, {json = false} = {}) {
  console.error(`\n$ mlps ${args.join(' ')}${json ? ' --json' : ''}`)
  const result = spawnSync(process.execPath, [bin, ...args, ...(json ? ['--json'] : [])], {stdio: ['ignore', json ? 'pipe' : 'inherit', 'inherit'], encoding: 'utf8'})
  if (result.status !== 0) {
    if (json) process.stdout.write(result.stdout)
    console.error(`\nmain job stopped: mlps ${args[0]} ${args[1]} exited ${result.status}`)
    process.exit(result.status ?? 1)
  }
  return json ? JSON.parse(result.stdout) : undefined
}

if (!existsSync(join(resultsDir, '.mlps', 'tree.json'))) mlps(['init', process.env.MLPS_ORGANIZATION ?? 'example-org', '--results-dir', resultsDir])
mlps(['training', 'datasize', '--model', 'unet3d', '--accelerator-type', 'h100', '--max-accelerators', '2', '--results-dir', resultsDir, '--system-name', systemName, '--open'])
mlps(['training', 'datagen', ...common, '--num-accelerators', '2'])
/** The category of a scaled-down native run is never CLOSED; say which rules decided it. */
function whyNotClosed(findings) {
  const deciding = findings.filter(f => f.severity === 'error' || f.openOnly)
  if (deciding.length === 0) return ''
  return '\n  because:     ' + deciding.slice(0, 4).map(f => `[${f.ruleId}] ${f.message}`).join('\n               ') +
    (deciding.length > 4 ? `\n               ... ${deciding.length - 4} more (mlps verify ${'<leaf>'})` : '')
}

const run = mlps(['training', 'run', ...common, '--accelerator-type', 'h100', '--num-accelerators', '2', '--param', 'train.epochs=2'], {json: true})
const m = run.record.metrics
console.log(`
unet3d on 2 emulated H100s (native engine, scaled down: 140 files of ~2 MiB, 2 epochs)
  status:       ${run.status}   category: ${run.category}
  AU:           ${m.train_au_mean_percentage.toFixed(2)} % (threshold 90 %, ${m.train_au_meet_expectation})
  throughput:   ${m.train_throughput_mean_samples_per_second.toFixed(2)} samples/s
  I/O:          ${m.train_io_mean_MB_per_second.toFixed(2)} MiB/s
  run leaf:     ${run.leaf}${whyNotClosed(run.record.findings)}
  next:         mlps training datasize --model unet3d --accelerator-type b200 --max-accelerators 8   (size a real dataset)`)
