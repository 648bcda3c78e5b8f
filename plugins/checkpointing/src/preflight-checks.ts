import {type CheckpointingRunOptions, CheckpointingRunOptionsSchema, requireRunOptions} from '@mlps/run-options'
import {type CheckContext, type CheckResult, type PreflightCheck, type RunContext} from 'mlps'
import {resultOfFindings, runOf} from 'mlps/unstable'
import {cacheClearPreflight} from './pair-preflight.js'
import {pairOf} from './procedure.js'
import {checkpointRunFindings} from './run-gates.js'

function runCheck(id: string, title: string, run: (ctx: RunContext<CheckpointingRunOptions>, check: CheckContext) => Promise<CheckResult>, appliesTo?: (ctx: CheckContext) => boolean): PreflightCheck {
  return {
    id, title, runsOn: 'invocation', benchmark: 'checkpointing', commands: ['run'], modes: ['run'], ...(appliesTo ? {appliesTo} : {}),
    run: check => run(requireRunOptions(runOf(check), CheckpointingRunOptionsSchema, 'the checkpointing checks'), check),
  }
}

/** One of the run gates (run-gates.ts): they are judged together, once, and each rule id is a check of its own. */
function gate(id: string, title: string, okDetail: string): PreflightCheck {
  return runCheck(id, title, async (ctx, check) => {
    const findings = await check.shared('checkpointing.gates', async () => checkpointRunFindings(ctx))
    return resultOfFindings(findings.filter(finding => finding.ruleId === id), okDetail)
  })
}

/** What a checkpointing run must meet before it starts: the rules' gates, and for the write half of a pair, the cache clearing on every host. */
export const checkpointingChecks: PreflightCheck[] = [
  gate('checkpointing.nothingToDo', 'the run writes or reads checkpoints', 'checkpoints are written or read'),
  gate('checkpointing.scaledDown', 'checkpoint files at their full size', 'checkpoints at full size'),
  gate('checkpointing.closedProcesses', 'CLOSED: the model\'s process count (Rules 4.6.1)', 'the process count fits the division'),
  gate('checkpointing.closedCheckpointCount', 'CLOSED: 10 or 0 checkpoints written and read (Rules 4.7.1)', 'the checkpoint counts fit the division'),
  gate('checkpointing.closedParameters', 'CLOSED: only checkpoint.checkpoint_folder changed (Rules 4.6.3)', 'the parameters fit the division'),
  gate('checkpointing.closedProcessesPerHost', 'CLOSED: enough processes on every host (Rules 4.6.2)', 'the processes per host fit the division'),
  gate('checkpointing.cacheClearBeforeRead', 'the page cache is cleared before a separate read invocation', 'nothing to clear by hand between invocations'),
  runCheck('checkpointing.cacheClear', 'every client host can clear its page cache between the write and the read of a pair',
    async ctx => resultOfFindings(await cacheClearPreflight(ctx, pairOf(ctx)!), 'every client host can clear its page cache'),
    check => check.run !== undefined && pairOf(check.run)?.phase === 'write'),
]
