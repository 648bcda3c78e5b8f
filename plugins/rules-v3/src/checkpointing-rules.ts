import {type AnyRule, type LoadedRun, type RuleOutcome} from 'mlps'
import {defineRule, fail, notEvaluable, pass} from 'mlps/unstable'
import {modelKey, numberParameter, parameter, summaryEvidence, toBoolean, toNumber} from './facts.js'

// MLPerf Storage v3.0 checkpointing rules (rules.md §1.2 "Valid run, v3.0", §4 items 1–5, 24–26).

interface CheckpointModel {
  /** CLOSED MPI processes (R 4.6.1) */
  closedProcesses: number
  /** TP × PP: OPEN scales in multiples of it (R 4.6.4) */
  tensorTimesPipeline: number
}

/** rules.md §1.2 table "Models and CLOSED geometry". */
export const CHECKPOINT_MODELS: Readonly<Record<string, CheckpointModel>> = {
  'llama3-8b': {closedProcesses: 8, tensorTimesPipeline: 1},
  'llama3-70b': {closedProcesses: 64, tensorTimesPipeline: 8},
  'llama3-405b': {closedProcesses: 512, tensorTimesPipeline: 256},
  'llama3-1t': {closedProcesses: 1024, tensorTimesPipeline: 512},
}

/** R 4.3.4 accelerator memory table (GB as the rules write it; rules.md §1.2). */
export const ACCELERATOR_MEMORY_GB: Readonly<Record<string, number>> = {b200: 180, mi355: 288, h100: 80, a100: 80}

export const CHECKPOINTS_PER_DIRECTION = 10
/** R 4.7.1: the read invocation starts within 30 s of the write invocation's end. */
export const MAX_WRITE_READ_GAP_SECONDS = 30

export const writes = (run: LoadedRun) => numberParameter(run, 'checkpoint.num_checkpoints_write')
export const reads = (run: LoadedRun) => numberParameter(run, 'checkpoint.num_checkpoints_read')
const isSubset = (run: LoadedRun) => parameter(run, 'checkpoint.mode').value === 'subset' || run.userOverrides['checkpoint.mode'] === 'subset'

export const checkpointModel = defineRule({
  id: '4.3.3 checkpointModelConfiguration',
  scope: 'run',
  title: 'the model is one of llama3-8b, llama3-70b, llama3-405b, llama3-1t',
  source: 'rules.md §1.2 (R 4.3.3)',
  severity: 'error',
  benchmarks: ['checkpointing'],
  commands: ['run'],
  check(run) {
    if (!run.model) return notEvaluable(`${run.path}: model unknown`)
    if (CHECKPOINT_MODELS[modelKey(run.model)!]) return pass()
    return fail(`${run.path}: "${run.model}" is not a checkpointing model`, {fix: `use one of ${Object.keys(CHECKPOINT_MODELS).join(', ')}`, evidence: [{file: run.sources.record ?? run.sources.metadata ?? run.path, path: 'model', value: run.model}]})
  },
})

export const checkpointClosedProcesses = defineRule({
  id: '4.6.1 checkpointClosedMpiProcesses',
  scope: 'run',
  title: 'CLOSED runs use 8 / 64 / 512 / 1024 processes for 8B / 70B / 405B / 1T (subset: 8)',
  source: 'rules.md §1.2 (R 4.6.1; case-insensitive division, rules.md §4 item 18)',
  severity: 'error',
  benchmarks: ['checkpointing'],
  commands: ['run'],
  divisions: ['closed'],
  check(run) {
    const model = CHECKPOINT_MODELS[modelKey(run.model) ?? '']
    if (!model || run.numProcesses === undefined) return notEvaluable(`${run.path}: ${model ? 'process count' : 'model'} unknown`)
    const expected = isSubset(run) ? 8 : model.closedProcesses
    if (run.numProcesses === expected) return pass()
    return fail(`${run.path}: ${run.numProcesses} processes, CLOSED ${run.model}${isSubset(run) ? ' subset' : ''} requires ${expected}`, {
      evidence: [{file: run.sources.record ?? run.sources.metadata ?? run.sources.summary ?? run.path, path: 'numProcesses', value: run.numProcesses}], fix: `run with ${expected} processes, or submit in open`,
    })
  },
})

export const checkpointRanksPerHost = defineRule({
  id: '4.6.2 checkpointClosedAcceleratorsPerHost',
  scope: 'run',
  title: 'CLOSED runs place more than 4 ranks per host (the reading is configurable: --option ranksPerHost=more-than-4|at-least-4)',
  source: 'rules.md §1.2 and §4 item 2 (R 4.6.2 "more than 4" vs Table 3 "minimal 4"; #866)',
  severity: 'error',
  benchmarks: ['checkpointing'],
  commands: ['run'],
  divisions: ['closed'],
  check(run, context) {
    if (run.numProcesses === undefined || !run.numHosts) return notEvaluable(`${run.path}: process or host count unknown`)
    const reading = String(context.options.ranksPerHost ?? 'more-than-4')
    const perHost = run.numProcesses / run.numHosts
    const ok = reading === 'at-least-4' ? perHost >= 4 : perHost > 4
    if (ok) return pass()
    return fail(`${run.path}: ${perHost} ranks per host; R 4.6.2 read as "${reading}" requires ${reading === 'at-least-4' ? 'at least 4' : 'more than 4'}`, {
      evidence: [summaryEvidence(run, 'num_hosts', run.numHosts)], fix: 'place more ranks on each host, or use --option ranksPerHost=at-least-4 if your round reads Table 3 as "minimal 4"',
    })
  },
})

export const checkpointSubset = defineRule({
  id: '4.3.5 checkpointSubsetMode',
  scope: 'run',
  title: 'subset mode only for llama3-8b with exactly 8 processes',
  source: 'rules.md §1.2 and §4 item 1 (R 4.3.5 after #841)',
  severity: 'error',
  benchmarks: ['checkpointing'],
  commands: ['run'],
  check(run) {
    if (!isSubset(run)) return pass()
    if (modelKey(run.model) === 'llama3-8b' && run.numProcesses === 8) return pass()
    return fail(`${run.path}: subset mode with ${run.model ?? 'an unknown model'} on ${run.numProcesses ?? '?'} processes; only llama3-8b on 8 is allowed`, {
      evidence: [parameter(run, 'checkpoint.mode').evidence], fix: 'run the full model (default mode)',
    })
  },
})

export const checkpointFsync = defineRule({
  id: '4.3.2 checkpointFsync',
  scope: 'run',
  title: 'checkpoint.fsync is true',
  source: 'rules.md §1.2 (R 4.3.2)',
  severity: 'error',
  benchmarks: ['checkpointing'],
  commands: ['run'],
  check(run) {
    const fsync = parameter(run, 'checkpoint.fsync')
    const value = toBoolean(fsync.value)
    if (value === undefined) return notEvaluable(`${run.path}: checkpoint.fsync not recorded`, {evidence: [fsync.evidence]})
    return value ? pass() : fail(`${run.path}: checkpoint.fsync is false`, {evidence: [fsync.evidence], fix: 'drop the fsync override; the workload sets it to true'})
  },
})

export const checkpointInvocations = defineRule({
  id: '4.7.1 checkpointInvocationStructure',
  scope: 'group',
  title: 'one invocation of 10 writes + 10 reads, or two: 10 writes then 10 reads',
  source: 'rules.md §1.2 (R 4.7.1, R 2.1.23; SC check_invocation_structure)',
  severity: 'error',
  benchmarks: ['checkpointing'],
  check(group) {
    const runs = group.runs
    const counts = runs.map(run => [writes(run).value, reads(run).value] as const)
    if (counts.some(([w, r]) => w === undefined || r === undefined)) return notEvaluable(`${group.path}: num_checkpoints_write/read not recorded in every invocation`)
    const shape = counts.map(([w, r]) => `${w}/${r}`).join(', ')
    const n = CHECKPOINTS_PER_DIRECTION
    const ok = (runs.length === 1 && counts[0][0] === n && counts[0][1] === n) ||
      (runs.length === 2 && counts[0][0] === n && counts[0][1] === 0 && counts[1][0] === 0 && counts[1][1] === n)
    if (ok) return pass()
    return fail(`${group.path}: ${runs.length} invocation(s) with writes/reads ${shape || 'none'}; expected 10/10, or 10/0 then 0/10`, {
      evidence: runs.map(run => writes(run).evidence), fix: 'run --num-checkpoints-write 10 --num-checkpoints-read 10 once, or write then read in two invocations',
    })
  },
})

export const checkpointWriteReadGap = defineRule({
  id: '4.7.1 checkpointWriteReadGap',
  scope: 'group',
  title: 'the read invocation starts within 30 s of the write invocation ending',
  source: 'rules.md §1.2 and §4 item 4 (R 4.7.1; warning during the v3.0 review, PR #834)',
  severity: 'error',
  benchmarks: ['checkpointing'],
  check(group) {
    if (group.runs.length !== 2) return pass()
    const [write, read] = group.runs
    if (!write.endedAt || !read.startedAt) return notEvaluable(`${group.path}: the write end or the read start time is unknown`)
    const gap = (read.startedAt.getTime() - write.endedAt.getTime()) / 1000
    const evidence = [{file: write.path, path: 'end', value: write.endedAt.toISOString()}, {file: read.path, path: 'start', value: read.startedAt.toISOString()}]
    if (gap < 0) return fail(`${group.path}: the read started ${(-gap).toFixed(1)} s before the write ended: clock skew between hosts?`, {evidence, severity: 'warn', fix: 'synchronise the clocks (chrony/ntp) of the client hosts'})
    if (gap <= MAX_WRITE_READ_GAP_SECONDS) return pass()
    return fail(`${group.path}: the read started ${gap.toFixed(1)} s after the write ended (limit ${MAX_WRITE_READ_GAP_SECONDS} s)`, {evidence, fix: 'start the read invocation right after the write (or write and read in one invocation)'})
  },
})

/**
 * What the run record says about clearing the page cache before the reads:
 * an engine's `extra.<plugin>.cacheClear.cleared` (the native engine) or
 * `extra.<plugin>.cacheDropped`; undefined when nothing says.
 */
function cacheCleared(run: LoadedRun): boolean | undefined {
  for (const entry of Object.values(run.record?.extra ?? {})) {
    const facts = entry as {cacheDropped?: unknown; cacheClear?: {cleared?: unknown}} | null
    if (facts?.cacheDropped === true || facts?.cacheClear?.cleared === true) return true
    if (facts?.cacheClear?.cleared === false) return false
  }
  return undefined
}

export const checkpointCacheClear = defineRule({
  id: '4.3.1 checkpointDataSizeRatio',
  scope: 'group',
  title: 'when checkpoint data per client is under 3× client memory, the page cache is cleared between write and read',
  source: 'rules.md §1.2 and §4 item 4 (R 4.3.1; SC reports it as a warning)',
  severity: 'warn',
  benchmarks: ['checkpointing'],
  check(group) {
    const lead = group.runs[0]
    if (!lead) return pass()
    const sizeGiB = toNumber(lead.metrics.checkpoint_size_GB)
    if (sizeGiB === undefined || !lead.numHosts || lead.hostMemoryBytes === undefined) return notEvaluable(`${group.path}: checkpoint size, host count or client memory unknown`)
    const perClientGiB = sizeGiB / lead.numHosts
    const memoryPerHostGiB = lead.hostMemoryBytes / 2 ** 30 / lead.numHosts
    if (perClientGiB >= 3 * memoryPerHostGiB) return pass()
    const message = `${group.path}: ${perClientGiB.toFixed(1)} GiB of checkpoint per client is under 3× its ${memoryPerHostGiB.toFixed(1)} GiB of memory`
    const reader = group.runs.find(run => (reads(run).value ?? 0) > 0) ?? group.runs.at(-1)!
    const cleared = cacheCleared(reader)
    const evidence = [{file: reader.sources.record ?? reader.path, path: 'extra', value: cleared}]
    if (cleared === true) return pass()
    if (cleared === false) return fail(`${message}, and the page cache was not cleared before the reads`, {evidence, fix: 'clear the page cache between the write and the read phase (needs root)'})
    if (group.runs.length === 1) return fail(`${message}; write and read ran in one invocation with no record of a cache clear between them`, {fix: 'write and read in two invocations with the page cache dropped in between'})
    return notEvaluable(`${message}; whether the cache was cleared before the read is not recorded`, {fix: 'drop the page cache before the read invocation and keep the record that says so'})
  },
})

export const checkpointAcceleratorMemory = defineRule({
  id: '4.3.4 checkpointAggregateAcceleratorMemory',
  scope: 'run',
  title: 'processes × accelerator memory ≥ checkpoint size',
  source: 'rules.md §1.2 and §4 item 26 (R 4.3.4; warning in the v3.0 round, worklist C2)',
  severity: 'error',
  benchmarks: ['checkpointing'],
  commands: ['run'],
  check(run) {
    const size = toNumber(run.metrics.checkpoint_size_GB)
    const memory = ACCELERATOR_MEMORY_GB[run.accelerator?.toLowerCase() ?? '']
    if (size === undefined || run.numProcesses === undefined) return notEvaluable(`${run.path}: checkpoint size or process count unknown`)
    if (memory === undefined) return notEvaluable(`${run.path}: the accelerator is not recorded (v3.0 metadata says null), so its memory is unknown`, {fix: 'record the accelerator type of the run'})
    if (run.numProcesses * memory >= size) return pass()
    return fail(`${run.path}: ${run.numProcesses} × ${memory} GB of ${run.accelerator} memory is less than the ${size} GB checkpoint`, {evidence: [summaryEvidence(run, 'checkpoint_size_GB', size)], fix: 'use more processes'})
  },
})

export const checkpointOpenScaling = defineRule({
  id: '4.6.4 checkpointOpenScaling',
  scope: 'run',
  title: 'OPEN runs use a positive multiple of TP × PP processes',
  source: 'rules.md §1.2 (R 4.6.4, Table 3)',
  severity: 'error',
  benchmarks: ['checkpointing'],
  commands: ['run'],
  divisions: ['open'],
  check(run) {
    const model = CHECKPOINT_MODELS[modelKey(run.model) ?? '']
    if (!model || run.numProcesses === undefined) return notEvaluable(`${run.path}: ${model ? 'process count' : 'model'} unknown`)
    if (run.numProcesses > 0 && run.numProcesses % model.tensorTimesPipeline === 0) return pass()
    return fail(`${run.path}: ${run.numProcesses} processes is not a multiple of TP × PP = ${model.tensorTimesPipeline}`, {fix: `use a multiple of ${model.tensorTimesPipeline}`})
  },
})

/** R 4.6.3: only the checkpoint folder may differ from the reference YAML; the tool sets the counts and the subset mode. */
const CLOSED_CHECKPOINT_OVERRIDES = new Set(['checkpoint.checkpoint_folder', 'checkpoint.num_checkpoints_write', 'checkpoint.num_checkpoints_read', 'checkpoint.mode', 'model.parallelism.data'])

export const checkpointClosedParameters = defineRule({
  id: '4.6.3 checkpointClosedParameters',
  scope: 'run',
  title: 'CLOSED runs change nothing but checkpoint.checkpoint_folder (and the write/read counts)',
  source: 'rules.md §1.2 (R 4.6.3; Table 3 as amended by #435)',
  severity: 'error',
  benchmarks: ['checkpointing'],
  commands: ['run'],
  divisions: ['closed'],
  check(run) {
    const file = run.sources.record ?? run.sources.metadata ?? run.sources.overrides ?? run.path
    const outcomes: RuleOutcome[] = Object.entries(run.userOverrides)
      .filter(([key]) => !CLOSED_CHECKPOINT_OVERRIDES.has(key) && !key.startsWith('workflow.'))
      .map(([key, value]) => fail(`${run.path}: ${key}=${String(value)} may not be changed in CLOSED`, {evidence: [{file, path: key, value}], fix: `drop --param ${key}`}))
    for (const direction of ['num_checkpoints_write', 'num_checkpoints_read'] as const) {
      const value = numberParameter(run, `checkpoint.${direction}`)
      if (value.value !== undefined && value.value !== 0 && value.value !== CHECKPOINTS_PER_DIRECTION) {
        outcomes.push(fail(`${run.path}: ${direction}=${value.value}; CLOSED accepts 10 or 0`, {evidence: [value.evidence], fix: `use --${direction.replaceAll('_', '-')} 10 (or 0 for the other phase)`}))
      }
    }
    return outcomes.length > 0 ? outcomes : pass()
  },
})

export const checkpointingRules: readonly AnyRule[] = [
  checkpointModel, checkpointClosedProcesses, checkpointRanksPerHost, checkpointSubset, checkpointFsync, checkpointInvocations,
  checkpointWriteReadGap, checkpointCacheClear, checkpointAcceleratorMemory, checkpointOpenScaling, checkpointClosedParameters,
]
