import {type AnyRule, type LoadedRun, type RuleOutcome} from 'mlps'
import {defineRule, fail, notEvaluable, pass} from 'mlps/unstable'
import {filesTrain, numberParameter, parameter, recordLength, summaryEvidence, toBoolean, toNumber} from './facts.js'
import {minimumFiles} from './integer-size.js'
import {filesystemSeparationRule} from './filesystem-rules.js'

// MLPerf Storage v3.0 training rules (rules.md §1.1 "Valid run (v3.0)", §2.1, §2.3; R = Rules.md @0366ccf).

/** R 2.1.17: 1 warm-up + 5 measured. */
export const TRAINING_RUNS = 6

/** R 3.6.2 CLOSED tunables (rules.md §1.1 "Valid run (v3.0)"); TR3 also lists checkpoint.checkpoint_folder. */
export const CLOSED_TRAINING_PARAMS = new Set([
  'dataset.num_files_train', 'dataset.num_subfolders_train', 'dataset.data_folder', 'reader.read_threads',
  'reader.computation_threads', 'reader.transfer_size', 'reader.prefetch_size', 'reader.odirect',
  'storage.storage_root', 'storage.storage_type', 'storage.storage_options.prefetch_window', 'checkpoint.checkpoint_folder',
])
/** R 3.6.3: OPEN adds these four. */
export const OPEN_TRAINING_PARAMS = new Set(['framework', 'dataset.format', 'dataset.num_samples_per_file', 'reader.data_loader'])
/** RC3 TOOL_INJECTED_PARAMS: set by the tool, never counted as the user's overrides (rules.md §4 item 21). */
export const TOOL_INJECTED_PARAMS = new Set([
  'dataset.skip_listing', 'dataset.listing_validation_interval', 'dataset.data_folder', 'storage.storage_type', 'storage.storage_root',
  'storage.storage_options.storage_library', 'storage.storage_options.uri_scheme', 'storage.s3_force_path_style',
])

const start = (run: LoadedRun) => run.startedAt?.getTime()
const end = (run: LoadedRun) => run.endedAt?.getTime()

export const trainingSixRuns = defineRule({
  id: '2.1.17 trainingSixRuns',
  scope: 'group',
  title: 'exactly 6 run invocations: the first is the warm-up, 5 are measured',
  source: 'rules.md §1.1 (R 2.1.17; RG3 "expected 6 training invocations")',
  severity: 'error',
  benchmarks: ['training'],
  check(group) {
    if (group.runs.length === TRAINING_RUNS) return pass()
    return fail(`${group.path}: expected ${TRAINING_RUNS} training invocations (1 warm-up + 5 measured), found ${group.runs.length}`, {
      evidence: group.runs.map(run => ({file: run.path})),
      fix: group.runs.length > TRAINING_RUNS ? 'keep 6 consecutive runs (R 2.1.18a) and move the others out of the submission' : `run ${TRAINING_RUNS - group.runs.length} more consecutive invocation(s) of the same workload`,
    })
  },
})

export const trainingConsecutiveRuns = defineRule({
  id: '2.1.18 trainingConsecutiveRuns',
  scope: 'group',
  title: 'the runs are consecutive: the idle gap before each run is shorter than the run before it',
  source: 'rules.md §1.1 (R 2.1.18: "no cherry picking")',
  severity: 'error',
  benchmarks: ['training'],
  check(group) {
    if (group.runs.length < 2) return pass()
    const untimed = group.runs.filter(run => start(run) === undefined || end(run) === undefined)
    if (untimed.length > 0) return notEvaluable(`${untimed.map(run => run.path).join(', ')}: start or end time unknown`, {fix: 'keep each run\'s metadata and summary.json (start, end)'})
    const outcomes: RuleOutcome[] = []
    for (let i = 1; i < group.runs.length; i++) {
      const before = group.runs[i - 1]
      const after = group.runs[i]
      const duration = end(before)! - start(before)!
      const gap = start(after)! - end(before)!
      if (gap >= duration) {
        outcomes.push(fail(`${after.path} started ${(gap / 1000).toFixed(0)} s after ${before.path} ended, longer than that run took (${(duration / 1000).toFixed(0)} s): the runs are not consecutive`, {
          evidence: [{file: before.path, path: 'end', value: before.endedAt?.toISOString()}, {file: after.path, path: 'start', value: after.startedAt?.toISOString()}],
          fix: 'submit 6 runs executed back to back',
        }))
      }
    }
    return outcomes.length > 0 ? outcomes : pass()
  },
})

export const trainingAcceleratorUtilization = defineRule({
  id: '3.3.2 trainingAcceleratorUtilization',
  scope: 'run',
  title: "DLIO's AU verdict is success (AU ≥ the model's minimum)",
  source: 'rules.md §1.1 item 1 (R 3.3.2; SC accelerator_utilization_check)',
  severity: 'error',
  benchmarks: ['training'],
  commands: ['run'],
  check(run) {
    const verdict = run.metrics.train_au_meet_expectation
    const au = toNumber(run.metrics.train_au_mean_percentage)
    const evidence = [summaryEvidence(run, 'train_au_meet_expectation', verdict)]
    if (verdict === undefined) return notEvaluable(`${run.path}: no train_au_meet_expectation in the run's metrics`, {evidence, fix: 'keep the summary.json DLIO wrote'})
    if (verdict === 'success') return pass()
    return fail(`${run.path}: AU ${au === undefined ? 'unknown' : `${au.toFixed(2)} %`} did not meet the model's minimum ("${String(verdict)}")`, {
      evidence, fix: 'use fewer simulated accelerators (or faster storage) until every run meets the AU threshold',
    })
  },
})

export const trainingRecalculateDatasetSize = defineRule({
  id: '3.1.2 trainingRecalculateDatasetSize',
  scope: 'run',
  title: 'num_files_train ≥ max(⌊5 × client memory / (samples per file × record length)⌋, ⌊500 × accelerators × batch / samples per file⌋)',
  source: 'rules.md §1.1 item 3 (R 3.1.2; G2 §7; memory = sum(host_memory_GB), rules.md §4 item 19)',
  severity: 'error',
  benchmarks: ['training'],
  commands: ['run'],
  check(run) {
    const files = filesTrain(run)
    const record = recordLength(run)
    const samplesPerFile = numberParameter(run, 'dataset.num_samples_per_file')
    const batch = numberParameter(run, 'reader.batch_size')
    const missing = [
      files.value === undefined && 'num_files_train', record.value === undefined && 'record length', samplesPerFile.value === undefined && 'num_samples_per_file',
      batch.value === undefined && 'batch_size', run.numProcesses === undefined && 'number of accelerators', run.hostMemoryBytes === undefined && 'client memory',
    ].filter(Boolean)
    if (missing.length > 0) return notEvaluable(`${run.path}: ${missing.join(', ')} unknown`, {evidence: [files.evidence, record.evidence]})
    const minimum = minimumFiles({memoryBytes: run.hostMemoryBytes!, recordLengthBytes: record.value!, samplesPerFile: samplesPerFile.value!, accelerators: run.numProcesses!, batchSize: batch.value!})
    if (!minimum) return notEvaluable(`${run.path}: record length ${record.value} or samples per file ${samplesPerFile.value} is not usable`, {evidence: [record.evidence]})
    if (BigInt(Math.floor(files.value!)) >= minimum.required) return pass()
    const memoryBytes = Math.floor(run.hostMemoryBytes!)
    return fail(`${run.path}: ${files.value} training files, the rules require ${minimum.required} = max(⌊5 × ${memoryBytes} B / (${samplesPerFile.value} × ${record.value} B)⌋ = ${minimum.filesByMemory}, ⌊500 × ${run.numProcesses} × ${batch.value} / ${samplesPerFile.value}⌋ = ${minimum.filesBySteps})`, {
      evidence: [files.evidence, record.evidence, batch.evidence, {file: run.sources.summary ?? run.sources.record ?? run.path, path: 'host_memory_GB', value: memoryBytes}],
      fix: `size the dataset with mlps training datasize and run with --param dataset.num_files_train=${minimum.required} or more`,
    })
  },
})

function datasetBytes(run: LoadedRun): number | undefined {
  const files = filesTrain(run).value
  const record = recordLength(run).value
  const samplesPerFile = numberParameter(run, 'dataset.num_samples_per_file').value ?? 1
  return files === undefined || record === undefined ? undefined : files * samplesPerFile * record
}

export const trainingRunDataMatchesDatasize = defineRule({
  id: '3.3.1 trainingRunDataMatchesDatasize',
  scope: 'group',
  title: 'the runs use at least the file count the datasize step computed',
  source: 'rules.md §1.1 (R 3.3.1 says "exactly"; enforced as "≥", rules.md §4 item 8 and AP3)',
  severity: 'error',
  benchmarks: ['training'],
  check(group) {
    const datasize = group.datasize.at(-1)
    if (!datasize) return notEvaluable(`${group.path}: no datasize leaf to compare the runs with`, {fix: 'include the datasize/<timestamp>/ folder mlps training datasize wrote'})
    const planned = filesTrain(datasize)
    if (planned.value === undefined) return notEvaluable(`${datasize.path}: the datasize leaf has no dataset.num_files_train`, {evidence: [planned.evidence]})
    const outcomes: RuleOutcome[] = []
    for (const run of group.runs) {
      const used = filesTrain(run)
      if (used.value === undefined) outcomes.push(notEvaluable(`${run.path}: num_files_train unknown`, {evidence: [used.evidence]}))
      else if (used.value < planned.value) {
        outcomes.push(fail(`${run.path}: ran on ${used.value} files, fewer than the ${planned.value} the datasize step requires`, {
          evidence: [used.evidence, planned.evidence], fix: `run with --param dataset.num_files_train=${planned.value}`,
        }))
      }
    }
    return outcomes.length > 0 ? outcomes : pass()
  },
})

export const trainingDatagenMinimumSize = defineRule({
  id: '3.2.1 trainingDatagenMinimumSize',
  scope: 'group',
  title: 'the generated dataset is at least as large as the one the runs read',
  source: 'rules.md §1.1 (R 3.2.1; SC datagen_minimum_size)',
  severity: 'error',
  benchmarks: ['training'],
  check(group) {
    const datagen = group.datagen.at(-1)
    if (!datagen) return notEvaluable(`${group.path}: no datagen leaf`, {fix: 'include the datagen/<timestamp>/ folder'})
    const generated = datasetBytes(datagen)
    if (generated === undefined) return notEvaluable(`${datagen.path}: the generated file count or record length is unknown`, {evidence: [filesTrain(datagen).evidence]})
    const outcomes: RuleOutcome[] = []
    for (const run of group.runs) {
      const read = datasetBytes(run)
      if (read !== undefined && read > generated) {
        outcomes.push(fail(`${run.path}: reads ${(read / 2 ** 30).toFixed(1)} GiB, more than the ${(generated / 2 ** 30).toFixed(1)} GiB datagen produced`, {
          evidence: [filesTrain(run).evidence, filesTrain(datagen).evidence], fix: 'generate a dataset at least as large as the runs use',
        }))
      }
    }
    return outcomes.length > 0 ? outcomes : pass()
  },
})

export const trainingOneDatagen = defineRule({
  id: '2.1.13 trainingOneDatagen',
  scope: 'group',
  title: 'exactly one datagen timestamp folder per workload',
  source: 'rules.md §2.1, mlpstorage-spec.md §6.5 (R 2.1.13)',
  severity: 'error',
  benchmarks: ['training'],
  check(group) {
    if (group.runs.length === 0 || group.datagen.length === 1) return pass()
    return fail(`${group.path}: ${group.datagen.length} datagen folders, the rules require exactly 1`, {
      evidence: group.datagen.map(run => ({file: run.path})), fix: group.datagen.length === 0 ? 'include the datagen/<timestamp>/ folder of the dataset the runs read' : 'keep only the datagen of the dataset the runs read',
    })
  },
})

export const trainingAcceleratorsPerHost = defineRule({
  id: '3.3.6 trainingIdenticalAcceleratorsPerNode',
  scope: 'run',
  title: 'every host runs the same number of simulated accelerators (accelerators divisible by hosts)',
  source: 'rules.md §1.1 (G2 §8–9; SC 3.3.6)',
  severity: 'error',
  benchmarks: ['training'],
  commands: ['run'],
  check(run) {
    if (run.numProcesses === undefined || run.numHosts === undefined) return notEvaluable(`${run.path}: accelerator or host count unknown`)
    if (run.numHosts <= 1 || run.numProcesses % run.numHosts === 0) return pass()
    return fail(`${run.path}: ${run.numProcesses} accelerators on ${run.numHosts} hosts is not the same number per host`, {
      evidence: [summaryEvidence(run, 'num_accelerators', run.numProcesses), summaryEvidence(run, 'num_hosts', run.numHosts)], fix: 'use a multiple of the host count',
    })
  },
})

export const trainingSingleHostAccelerators = defineRule({
  id: '3.3.3 trainingSingleHostSimulatedAccelerators',
  scope: 'run',
  title: 'a single-host run simulates at least 4 accelerators (advisory)',
  source: 'rules.md §2.3 (SC 3.3.3, warning)',
  severity: 'warn',
  benchmarks: ['training'],
  commands: ['run'],
  check(run) {
    if (run.numProcesses === undefined || run.numHosts === undefined) return notEvaluable(`${run.path}: accelerator or host count unknown`)
    if (run.numHosts !== 1 || run.numProcesses >= 4) return pass()
    return fail(`${run.path}: a single host simulates only ${run.numProcesses} accelerator(s)`, {fix: 'simulate at least 4 accelerators per host'})
  },
})

function overridesOf(run: LoadedRun): Array<[string, unknown]> {
  return Object.entries(run.userOverrides).filter(([key]) => !TOOL_INJECTED_PARAMS.has(key) && !key.startsWith('workflow.') && !key.startsWith('profiling.'))
}

export const trainingClosedParameters = defineRule({
  id: '3.6.2 trainingClosedParameters',
  scope: 'run',
  title: 'CLOSED runs override only the CLOSED tunables (tool-injected keys do not count)',
  source: 'rules.md §1.1 "Valid run (v3.0)" (R 3.6.2; RC3 TOOL_INJECTED_PARAMS; rules.md §4 item 21)',
  severity: 'error',
  benchmarks: ['training'],
  commands: ['run'],
  divisions: ['closed'],
  check(run) {
    const outcomes: RuleOutcome[] = []
    const file = run.sources.record ?? run.sources.metadata ?? run.sources.overrides ?? run.path
    for (const [key, value] of overridesOf(run)) {
      const evidence = [{file, path: key, value}]
      if (key === 'reader.odirect' && run.model !== 'unet3d' && toBoolean(value)) {
        outcomes.push(fail(`${run.path}: reader.odirect is only allowed for unet3d`, {evidence, fix: 'drop reader.odirect'}))
      } else if (CLOSED_TRAINING_PARAMS.has(key)) continue
      else if (OPEN_TRAINING_PARAMS.has(key)) {
        outcomes.push(fail(`${run.path}: ${key}=${String(value)} is allowed in OPEN only`, {evidence, openOnly: true, severity: 'warn', fix: 'submit it in the open division, or drop the override'}))
      } else {
        outcomes.push(fail(`${run.path}: ${key}=${String(value)} may not be changed`, {evidence, fix: `drop --param ${key}; CLOSED allows ${[...CLOSED_TRAINING_PARAMS].join(', ')}`}))
      }
    }
    return outcomes.length > 0 ? outcomes : pass()
  },
})

export const trainingOpenParameters = defineRule({
  id: '3.6.3 trainingOpenParameters',
  scope: 'run',
  title: 'OPEN runs override only the CLOSED and OPEN tunables',
  source: 'rules.md §1.1 "Valid run (v3.0)" (R 3.6.3)',
  severity: 'error',
  benchmarks: ['training'],
  commands: ['run'],
  divisions: ['open'],
  check(run) {
    const file = run.sources.record ?? run.sources.metadata ?? run.sources.overrides ?? run.path
    const outcomes = overridesOf(run)
      .filter(([key]) => !CLOSED_TRAINING_PARAMS.has(key) && !OPEN_TRAINING_PARAMS.has(key))
      .map(([key, value]) => fail(`${run.path}: ${key}=${String(value)} may not be changed, even in OPEN`, {
        evidence: [{file, path: key, value}], fix: `drop --param ${key}; OPEN allows ${[...CLOSED_TRAINING_PARAMS, ...OPEN_TRAINING_PARAMS].join(', ')}`,
      }))
    return outcomes.length > 0 ? outcomes : pass()
  },
})

/** The results root of a run in the canonical layout: the folder above `<division>/`. */
function resultsRoot(run: LoadedRun): string | undefined {
  if (!run.divisionFolder) return undefined
  const marker = `/${run.divisionFolder}/${run.organization}/`
  const at = run.absolutePath.lastIndexOf(marker)
  return at > 0 ? run.absolutePath.slice(0, at) : undefined
}

const inside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith('/') ? parent : `${parent}/`)

export const trainingPathArgs = defineRule({
  id: '3.4.1 trainingPathArgs',
  scope: 'run',
  title: 'the dataset folder and the results folder are different and do not contain each other',
  source: 'rules.md §1.1 (R 3.4.1; SC mlpstorage_path_args)',
  severity: 'error',
  benchmarks: ['training'],
  commands: ['run', 'datagen'],
  check(run) {
    const data = parameter(run, 'dataset.data_folder')
    const args = (run.metadata?.args ?? {}) as Record<string, unknown>
    const dataFolder = typeof data.value === 'string' ? data.value : typeof args.data_dir === 'string' ? args.data_dir : undefined
    const results = typeof args.results_dir === 'string' ? args.results_dir : resultsRoot(run)
    if (!dataFolder || !results) return notEvaluable(`${run.path}: ${dataFolder ? 'the results folder' : 'dataset.data_folder'} is unknown`, {evidence: [data.evidence]})
    if (!dataFolder.startsWith('/') || (!inside(dataFolder, results) && !inside(results, dataFolder))) return pass()
    return fail(`${run.path}: the dataset (${dataFolder}) and the results (${results}) share a folder`, {evidence: [data.evidence], fix: 'keep the dataset on the storage under test and the results elsewhere'})
  },
})

export const trainingFilesystemSeparation = filesystemSeparationRule({
  id: '3.4.2 trainingFilesystemCheck', benchmark: 'training', storage: 'the dataset', role: 'data_dir', commands: ['run'],
  source: 'rules.md §1.1 (R 3.4.2; SC: missing fs_separation.json is a warning)',
})

export const trainingRules: readonly AnyRule[] = [
  trainingSixRuns, trainingConsecutiveRuns, trainingOneDatagen, trainingAcceleratorUtilization, trainingRecalculateDatasetSize,
  trainingRunDataMatchesDatasize, trainingDatagenMinimumSize, trainingAcceleratorsPerHost, trainingSingleHostAccelerators,
  trainingClosedParameters, trainingOpenParameters, trainingPathArgs, trainingFilesystemSeparation,
]
