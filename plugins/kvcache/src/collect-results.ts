import {basename} from 'node:path'
import {KvcacheRunOptionsSchema, runWithOptions} from '@mlps/run-options'
import {type RunContext} from 'mlps'
import {writeJsonAtomic} from 'mlps/unstable'
import {NO_REQUESTS_COMPLETED} from './output/rank-result.js'
import {recordMetrics} from './output/record-metrics.js'
import {summarizeRun, summaryDocument} from './output/run-summary.js'

/** What engines report of passes that did not complete: "option_1/trial_0" → why. */
function trialFailures(ctx: RunContext): Record<string, string> {
  const value = ctx.engineResult?.extra?.kvcacheTrialFailures
  if (!value || typeof value !== 'object') return {}
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
}

/**
 * After any engine ran `kvcache run`: read every rank's results file the plan asked for, aggregate
 * each option, write `summary.json` and put the figures in the run record. A missing or unreadable
 * rank fails the run; it is never averaged in as zero.
 */
export async function collectKvResults(ctx: RunContext): Promise<void> {
  const run = runWithOptions(ctx, KvcacheRunOptionsSchema)
  if (ctx.benchmark !== 'kvcache' || ctx.command !== 'run' || !ctx.leaf || !ctx.engineResult || !run) return
  const plan = run.options
  const summary = await summarizeRun(ctx.leaf, plan, basename(ctx.leaf))
  const failures = trialFailures(ctx)
  await writeJsonAtomic(`${ctx.leaf}/summary.json`, summaryDocument(summary, failures))
  ctx.record.artifacts.push('summary.json')
  Object.assign(ctx.record.metrics, recordMetrics(summary))
  ctx.record.extra.kvcache = {summary, trialFailures: failures}
  const missing = summary.options.flatMap(option => option.missingFiles)
  if (missing.length > 0 && ctx.record.status === 'COMPLETED') {
    ctx.record.status = 'FAILED'
    const idle = missing.filter(entry => entry.includes(NO_REQUESTS_COMPLETED))
    const broken = missing.filter(entry => !entry.includes(NO_REQUESTS_COMPLETED))
    ctx.record.statusReason = [
      idle.length > 0 && `${idle.length} rank${idle.length === 1 ? '' : 's'} ${NO_REQUESTS_COMPLETED} (${idle.slice(0, 3).map(entry => entry.split(':')[0]).join(', ')}${idle.length > 3 ? ', …' : ''}): ` +
        `kv-cache.py ended the pass before any request finished and wrote no summary, so ${idle.length === 1 ? 'its option is' : 'their options are'} not aggregated; give each pass longer (--duration) or less work (--num-users, --model)`,
      broken.length > 0 && `${broken.length} rank result${broken.length === 1 ? ' is' : 's are'} missing or unreadable, so the options they belong to are not aggregated: ${broken.slice(0, 3).join('; ')}${broken.length > 3 ? '; …' : ''}`,
    ].filter(Boolean).join('; ')
  }
}
