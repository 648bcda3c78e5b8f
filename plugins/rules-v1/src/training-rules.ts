import {type AnyRule, type LoadedRun, type RuleOutcome} from 'mlps'
import {defineRule, fail, notEvaluable, pass} from 'mlps/unstable'
import {dlioSummariesOf} from '@mlps/result-formats'

// The v1.0 round's training rules as its official reportgen enforced them
// (mlcommons/storage v1.0-branch `report.py`; rules.md §1.1 "Reported metric",
// §2.1 v1.0 layout): exactly 5 runs, each with DLIO's AU verdict "success",
// and the same workload in every run. No warm-up run existed in v1.0.

export const V1_REQUIRED_RUNS = 5

export const trainingFiveRuns = defineRule({
  id: 'v1 trainingFiveRuns',
  scope: 'group',
  title: 'a training result is the mean of exactly 5 runs',
  source: 'rules.md §1.1 (V1 report.py: "requires exactly 5 run dirs")',
  severity: 'error',
  benchmarks: ['training'],
  check(group) {
    if (group.runs.length === V1_REQUIRED_RUNS) return pass()
    return fail(`${group.path}: ${group.runs.length} training runs found, v1.0 requires exactly ${V1_REQUIRED_RUNS}`, {
      fix: `keep the ${V1_REQUIRED_RUNS} consecutive runs of the result in this folder`, evidence: group.runs.map(run => ({file: run.path})),
    })
  },
})

export const trainingAuSuccess = defineRule({
  id: 'v1 trainingAuSuccess',
  scope: 'run',
  title: "every run's DLIO summary says the AU met the expectation",
  source: 'rules.md §1.1 valid run item 1 (V1 report.py; `train_au_meet_expectation == "success"`)',
  severity: 'error',
  benchmarks: ['training'],
  commands: ['run'],
  check(run) {
    const summaries = dlioSummariesOf(run)
    if (summaries.length === 0) return notEvaluable(`${run.path}: no summary.json, so the AU verdict is unknown`, {fix: 'include the summary.json DLIO wrote for this run'})
    const outcomes: RuleOutcome[] = []
    for (const {file, summary} of summaries) {
      const verdict = summary.metric.train_au_meet_expectation
      const au = summary.metric.train_au_mean_percentage
      const evidence = [{file, path: 'metric.train_au_meet_expectation', value: verdict}]
      if (verdict === undefined) outcomes.push(notEvaluable(`${file} has no metric.train_au_meet_expectation`, {evidence}))
      else if (verdict !== 'success') outcomes.push(fail(`${file}: AU ${au === undefined || au === null ? 'unknown' : `${au.toFixed(2)} %`} did not meet the expectation ("${verdict}")`, {evidence, fix: 'lower the number of simulated accelerators until the AU threshold is met'}))
    }
    return outcomes.length > 0 ? outcomes : pass()
  },
})

const IDENTICAL_FACTS: Array<{name: string; read: (run: LoadedRun) => unknown}> = [
  {name: 'model', read: run => run.model},
  {name: 'accelerator', read: run => run.accelerator},
  {name: 'num_accelerators', read: run => run.numProcesses},
  {name: 'num_files_train', read: run => run.metrics.num_files_train},
  {name: 'num_samples_per_file', read: run => run.metrics.num_samples_per_file},
]

export const trainingIdenticalRuns = defineRule({
  id: 'v1 trainingIdenticalRuns',
  scope: 'group',
  title: 'model, accelerator, accelerator count, files and samples per file are identical across the runs',
  source: 'rules.md §1.1 "Reported metric" (V1 report.py)',
  severity: 'error',
  benchmarks: ['training'],
  check(group) {
    if (group.runs.length === 0) return notEvaluable(`${group.path}: no runs to compare`)
    const outcomes: RuleOutcome[] = []
    for (const fact of IDENTICAL_FACTS) {
      const values = group.runs.map(run => fact.read(run))
      if (values.some(value => value === undefined)) {
        outcomes.push(notEvaluable(`${group.path}: ${fact.name} is missing in ${values.filter(value => value === undefined).length} run(s)`))
        continue
      }
      const distinct = [...new Set(values.map(value => String(value)))]
      if (distinct.length > 1) {
        outcomes.push(fail(`${group.path}: ${fact.name} differs across runs (${distinct.join(', ')})`, {
          evidence: group.runs.map(run => ({file: run.sources.summary ?? run.path, path: fact.name, value: fact.read(run)})), fix: 'every run of a result must use the same workload',
        }))
      }
    }
    return outcomes.length > 0 ? outcomes : pass()
  },
})

export const trainingRules: readonly AnyRule[] = [trainingFiveRuns, trainingAuSuccess, trainingIdenticalRuns]
