import type {CheckpointingRunOptions} from '@mlps/run-options'
import {type Finding, type RunContext} from 'mlps'
import {formatBytes} from 'mlps/unstable'
import {pairOf} from './procedure.js'
import {CLOSED_CHECKPOINT_COUNT, isLlmModel, LLM_MODEL_SPECS, MAX_WRITE_READ_GAP_SECONDS, MIN_CLOSED_PROCESSES_PER_HOST_EXCLUSIVE} from './models.js'

const RULE = 'checkpointing'
/** Rules 4.6.3: in CLOSED only the checkpoint folder may differ from the official YAML. */
const CLOSED_OVERRIDABLE = new Set(['checkpoint.checkpoint_folder'])
const CLEAR_CACHES = 'sync; echo 3 > /proc/sys/vm/drop_caches (as root) on every client host'

/**
 * The rules a checkpointing run must meet, checked before anything starts
 * (rules.md §1.2: Rules 4.3.1, 4.3.5, 4.6.1–4.6.3, 4.7.1), so a run that
 * could never count is stopped with every reason at once.
 */
export function checkpointRunFindings(ctx: RunContext<CheckpointingRunOptions>): Finding[] {
  const findings: Finding[] = []
  if (!ctx.model || !isLlmModel(ctx.model)) return findings
  const spec = LLM_MODEL_SPECS[ctx.model]
  const {options} = ctx
  const writes = options.workload.checkpoint?.num_checkpoints_write ?? 0
  const reads = options.workload.checkpoint?.num_checkpoints_read ?? 0
  const processes = ctx.numProcesses ?? 0
  const closed = ctx.division === 'closed'

  if (writes === 0 && reads === 0) {
    findings.push({ruleId: `${RULE}.nothingToDo`, severity: 'error', kind: 'input', message: 'both --num-checkpoints-write and --num-checkpoints-read are 0: nothing would run',
      fix: 'write and read 10 (the default), or 10/0 then 0/10 as a write/read pair'})
  }
  if (options.scale !== 1) {
    findings.push({ruleId: `${RULE}.scaledDown`, severity: 'warn', openOnly: true,
      message: `checkpoint files are scaled to ${options.scale} of their size (${formatBytes(options.layout.checkpointBytes)} per checkpoint): a smoke run, never CLOSED`,
      fix: 'leave out --scale for a run that counts'})
  }
  if (closed) {
    if (processes !== spec.closedProcesses) {
      findings.push({ruleId: `${RULE}.closedProcesses`, severity: 'error', kind: 'rule',
        message: `CLOSED ${spec.model} runs use exactly ${spec.closedProcesses} processes, not ${processes}` +
          (spec.closedSubsetAllowed ? '' : ' (a subset run is valid in CLOSED only for llama3-8b, Rules 4.3.5)') + ' (Rules 4.6.1)',
        fix: `pass --num-processes ${spec.closedProcesses}, or run --open`})
    }
    for (const [flag, count] of [['--num-checkpoints-write', writes], ['--num-checkpoints-read', reads]] as const) {
      if (count !== CLOSED_CHECKPOINT_COUNT && count !== 0) {
        findings.push({ruleId: `${RULE}.closedCheckpointCount`, severity: 'error', kind: 'rule',
          message: `CLOSED accepts only ${CLOSED_CHECKPOINT_COUNT} or 0 for ${flag}, not ${count} (Rules 4.7.1)`, fix: `pass ${flag} ${CLOSED_CHECKPOINT_COUNT}, or run --open`})
      }
    }
    const changed = Object.keys(ctx.parameters.userOverrides).filter(key => !CLOSED_OVERRIDABLE.has(key))
    if (changed.length > 0) {
      findings.push({ruleId: `${RULE}.closedParameters`, severity: 'error', kind: 'rule',
        message: `CLOSED runs may change only checkpoint.checkpoint_folder, but ${changed.join(', ')} ${changed.length > 1 ? 'were' : 'was'} changed (Rules 4.6.3)`,
        fix: 'drop those --param values, or run --open'})
    }
    for (const host of options.hosts.filter(h => h.ranks.length > 0 && h.ranks.length <= MIN_CLOSED_PROCESSES_PER_HOST_EXCLUSIVE)) {
      findings.push({ruleId: `${RULE}.closedProcessesPerHost`, severity: 'error', kind: 'rule',
        message: `${host.name} runs ${host.ranks.length} processes; CLOSED needs more than ${MIN_CLOSED_PROCESSES_PER_HOST_EXCLUSIVE} per host (Rules 4.6.2)`,
        fix: 'use fewer hosts or more slots per host'})
    }
  }
  // a pair is cleared between its invocations by the command, a one-invocation native run inside the engine;
  // only the write half of a pair run by hand leaves the clearing to the user
  if (options.cacheClearRequired && writes > 0 && reads === 0 && !pairOf(ctx)) {
    findings.push({ruleId: `${RULE}.cacheClearBeforeRead`, severity: 'info',
      message: `the checkpoints fit in 3 × client memory: before the read invocation, ${CLEAR_CACHES}, and start it within ${MAX_WRITE_READ_GAP_SECONDS} s of this one's end (Rules 4.3.1, 4.7.1)`})
  }
  return findings
}
