import type {AnyRule} from 'mlps'
import {defineRule, fail, pass} from 'mlps/unstable'
import {checkpointThroughputBound, kvThroughputBound, missingDlioResultFiles, throughputPossible, trainingThroughputBound} from '@mlps/result-formats'

// A result can only count when the files it comes from are there and hold what a run can produce
// (rules.md §2.1: R 2.1.14–2.1.26 list the leaf's files; engines.md §2.1–2.2).

export const dlioResultFiles = defineRule({
  id: '2.1.14 dlioResultFiles',
  scope: 'run',
  title: "a training or checkpointing run leaf holds DLIO's summary.json and per-epoch stats (every rank's, and every rank's output, in a leaf mlps wrote)",
  source: 'rules.md §2.1 (R 2.1.14–2.1.26: `*output.json`, `*per_epoch_stats.json`, `*summary.json`); engines.md §2.1',
  severity: 'error',
  benchmarks: ['training', 'checkpointing'],
  commands: ['run'],
  check(run) {
    const missing = missingDlioResultFiles(run)
    if (missing.length === 0) return pass()
    return fail(`${run.path}: ${missing.join(', ')} missing; without the engine's own results the run cannot count`, {
      kind: 'input', evidence: missing.map(file => ({file: `${run.path}/${file}`})),
      fix: 'restore the files DLIO wrote for this run, or remove the run folder and run it again',
    })
  },
})

export const trainingThroughputPossible = defineRule({
  id: '3.3.2 trainingThroughputPossible',
  scope: 'run',
  title: 'samples/s is at most accelerators × batch / computation_time (100 % AU), and MiB/s is samples/s × the record length',
  source: 'rules.md §1.1 item 1 (R 3.3.2: AU is compute time over run time); engines.md §2.2',
  severity: 'error',
  benchmarks: ['training'],
  commands: ['run'],
  check: throughputPossible(trainingThroughputBound, 'the summary or record was edited or corrupted after the run: restore it, or re-run'),
})

export const checkpointThroughputPossible = defineRule({
  id: '4.7 checkpointThroughputPossible',
  scope: 'run',
  title: 'each checkpoint\'s GiB/s is at most its size over its measured time; the mean GiB/s lies between the size over the mean duration and the fastest checkpoint\'s; the checkpoints fit in the run',
  source: 'rules.md §1.2 "Reported metric" (DLIO: throughput = checkpoint_size_GB / duration per checkpoint, the summary their mean over rank 0\'s per_epoch_stats); engines.md §2.2',
  severity: 'error',
  benchmarks: ['checkpointing'],
  commands: ['run'],
  check: throughputPossible(checkpointThroughputBound, 'the summary, per-epoch stats or record was edited or corrupted after the run: restore them, or re-run'),
})

export const kvcacheThroughputPossible = defineRule({
  id: '6.3.4 kvcacheThroughputPossible',
  scope: 'run',
  title: 'each rank\'s tokens/s, requests/s and storage GiB/s are at most its counts over its elapsed time, and the summary\'s sums over ranks (per trial, and their mean per option) at most what those allow',
  source: 'rules.md §1.3 (R 6.3.4: bandwidth and tokens/s summed over ranks within a trial, averaged over trials); engines.md §3.5',
  severity: 'error',
  benchmarks: ['kv_cache'],
  commands: ['run'],
  check: throughputPossible(kvThroughputBound, 'the summary or a rank\'s results file was edited or corrupted after the run: restore them, or re-run'),
})

export const vdbSummaryFile = defineRule({
  id: '2.1.27 vdbSummaryFile',
  scope: 'run',
  title: 'a vector-database datagen or run leaf holds its summary.json (statistics.json alone is vdbbench\'s raw output)',
  source: 'rules.md §2.1 diagram (R 2.1.27: vector_database/<index>/{datagen/<ts>/, run/<ts>×5}/summary.json)',
  severity: 'error',
  benchmarks: ['vector_database'],
  commands: ['run', 'datagen'],
  check(run) {
    if (run.files.includes('summary.json')) return pass()
    return fail(`${run.path}: no summary.json; the results tables read the leaf's summary.json${run.files.includes('statistics.json') ? ', not the statistics.json beside it' : ''}`, {
      kind: 'input', evidence: [{file: `${run.path}/summary.json`}], fix: 'restore the summary.json mlps vectordb wrote for this leaf, or run it again',
    })
  },
})

export const resultFileRules: readonly AnyRule[] = [dlioResultFiles, trainingThroughputPossible, checkpointThroughputPossible, kvcacheThroughputPossible, vdbSummaryFile]
