import {TrainingRunOptionsSchema, runWithOptions} from '@mlps/run-options'
import {type CheckContext, type CheckResult, type PreflightCheck} from 'mlps'
import {isObjectStorageUri} from 'mlps/unstable'

// DLIO's own listing (main.py initialize): the entries of <data_folder>/train; when the first one is a folder,
// every train/*/*.<format>, and there must be exactly num_subfolders_train folders; else the train/ files
// ending in .<format>. Printed as "<folders> <files>", or "missing" when train/ is not there.
const COUNT_TRAIN_FILES = `train="$1/train"; format="$2"
[ -d "$train" ] || { echo missing; exit 0; }
folders=$(find "$train" -mindepth 1 -maxdepth 1 -type d | wc -l)
if [ "$folders" -gt 0 ]; then files=$(find "$train" -mindepth 2 -maxdepth 2 -type f -name "*.$format" | wc -l)
else files=$(find "$train" -mindepth 1 -maxdepth 1 -type f -name "*$format" | wc -l); fi
echo "$folders $files"
`

/** The training run a check looks at, typed; undefined for any other run. */
const trainingRunOf = (ctx: CheckContext) => ctx.run && runWithOptions(ctx.run, TrainingRunOptionsSchema)

function appliesTo(ctx: CheckContext): boolean {
  const run = trainingRunOf(ctx)
  if (!run || run.benchmark !== 'training' || run.command !== 'run' || !run.options.workload.dataset?.data_folder) return false
  const storageType = run.parameters.toolInjected['storage.storage_type'] ?? run.parameters.userOverrides['storage.storage_type']
  return storageType === undefined || storageType === 'local'
}

/**
 * Before DLIO starts: the dataset a training run reads is there, on every host, as DLIO will list it. Without
 * it DLIO spends its start-up, then fails with `Not enough training dataset is found` on stderr.
 */
export const dlioDatasetCheck: PreflightCheck = {
  id: 'dlio.dataset',
  title: 'the training dataset DLIO reads, on every host',
  runsOn: 'hosts',
  engine: 'dlio',
  appliesTo,
  async run(ctx, host): Promise<CheckResult> {
    const run = trainingRunOf(ctx)!
    const dataset = run.options.workload.dataset!
    // no folder to list; mlps does not list the bucket before DLIO does (50 M objects took 12 hours, storage#472)
    if (isObjectStorageUri(dataset.data_folder)) return {status: 'ok', detail: `not applicable: object storage (${dataset.data_folder})`}
    const train = `${dataset.data_folder}/train`
    const datagen = `mlps training datagen --model ${run.model} --data-dir ${dataset.data_folder} --param dataset.num_files_train=${dataset.num_files_train}` +
      (dataset.num_subfolders_train ? ` --param dataset.num_subfolders_train=${dataset.num_subfolders_train}` : '')
    const result = await ctx.shell(host).exec(['sh', '-c', COUNT_TRAIN_FILES, 'sh', dataset.data_folder, dataset.format], {timeoutMs: 300_000, signal: ctx.signal})
    const answer = result.stdout.trim()
    if (result.exitCode !== 0 || !/^(?:missing|\d+ \d+)$/.test(answer)) {
      return {status: 'skip', detail: `not evaluable: cannot list ${train} on ${host}: ${result.failure ?? (result.stderr.trim() || `exit ${result.exitCode}`)}`}
    }
    if (answer === 'missing') return {status: 'fail', detail: `${train} does not exist on ${host}: DLIO would find no dataset`, fix: `generate it first: ${datagen}`}
    const [folders, files] = answer.split(' ').map(Number)
    const wanted = dataset.num_subfolders_train ?? 0
    if (folders > 0 && folders !== wanted) {
      return {status: 'fail', detail: `${train} holds ${folders} subfolders but the run reads ${wanted} (dataset.num_subfolders_train): DLIO stops on that`,
        fix: `pass --param dataset.num_subfolders_train=${folders} as the dataset was generated, or regenerate it: ${datagen}`}
    }
    if (files < dataset.num_files_train) {
      return {status: 'fail', detail: `${train} holds ${files} .${dataset.format} files on ${host}; the run reads ${dataset.num_files_train} (dataset.num_files_train)`,
        fix: `generate them: ${datagen}, or read fewer: --param dataset.num_files_train=${files}`}
    }
    return {status: 'ok', detail: `${train}: ${files} .${dataset.format} files${folders > 0 ? ` in ${folders} subfolders` : ''}, ${dataset.num_files_train} read`}
  },
}
