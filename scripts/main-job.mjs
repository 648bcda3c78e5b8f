// `npm start`: the main job on a fresh machine. Sizes, generates and runs a
// real training workload (unet3d on emulated H100s) on the built-in native
// engine, scaled down with --param so it finishes in under a minute; the run
// prints its own figures and category, then this says why a smoke run is not
// CLOSED and what a real run of the same workload would need.
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

/** Run mlps; `json`: parse its --json output; `echo`: show its output and return it. */
function mlps(args, {json = false, echo = false} = {}) {
  console.error(`\n$ mlps ${args.join(' ')}`)
  const result = spawnSync(process.execPath, [bin, ...args, ...(json ? ['--json'] : [])], {stdio: ['ignore', json || echo ? 'pipe' : 'inherit', json ? 'ignore' : 'inherit'], encoding: 'utf8'})
  if (echo || (json && result.status !== 0)) process.stdout.write(result.stdout)
  if (result.status !== 0) {
    console.error(`\nmain job stopped: mlps ${args[0]} ${args[1]} exited ${result.status}`)
    process.exit(result.status ?? 1)
  }
  return json ? JSON.parse(result.stdout) : result.stdout
}

if (!existsSync(join(resultsDir, '.mlps', 'tree.json'))) mlps(['init', process.env.MLPS_ORGANIZATION ?? 'example-org', '--results-dir', resultsDir])
const size = mlps(['training', 'datasize', '--model', 'unet3d', '--accelerator-type', 'h100', '--max-accelerators', '2', '--results-dir', resultsDir, '--system-name', systemName, '--open'], {json: true})
mlps(['training', 'datagen', ...common, '--num-accelerators', '2'])
// the run's own output is what a user sees: its headline figures, its category and the rules that decided it
const run = mlps(['training', 'run', ...common, '--accelerator-type', 'h100', '--num-accelerators', '2', '--param', 'train.epochs=2'], {echo: true})
const leaf = /^ {2}run leaf: (.+)$/m.exec(run)?.[1]
const category = /^ {2}category: (\w+)/m.exec(run)?.[1]
const gib = bytes => `${(bytes / 2 ** 30).toFixed(0)} GiB`

console.log(`
What this was: a smoke run, scaled down on purpose so it ends in under a minute on any machine:
  140 files of ~2 MiB and 2 epochs, on 2 emulated H100s with the built-in native engine.
  ${category ?? 'Its category'} is expected: the rules require the workload's own file size, a dataset of at least 5 × the
  hosts' memory and 500 steps, and the official engine (DLIO); a native run is never CLOSED.
  The figures above are real measurements of this machine's storage, of a dataset that fits in its page cache.
A real unet3d run on 2 H100s on this host needs ${size.numFilesTrain.toLocaleString('en-US')} files (${gib(size.totalDiskBytes)}; ${size.dominatedBy === 'memory' ? `5 × the ${gib(size.totalMemoryBytes)} of memory` : '500 steps per accelerator'} decides it):
  mlps training datagen --model unet3d --num-accelerators 2 --param dataset.num_files_train=${size.numFilesTrain} --data-dir <a folder on the storage under test>
  then: mlps training run --model unet3d --accelerator-type h100 --num-accelerators 2 --data-dir <that folder> --engine dlio --closed
  sizes for other systems: mlps training datasize --model unet3d --accelerator-type b200 --max-accelerators 8
  the run leaf:            ${leaf ?? '(see above)'}`)
