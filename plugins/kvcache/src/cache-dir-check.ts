import {relative, resolve} from 'node:path'
import {KvcacheRunOptionsSchema, runWithOptions} from '@mlps/run-options'
import type {RunContext} from 'mlps'

/**
 * Rules 6.4.1 wants the cache on other storage than the results. Without
 * --cache-dir the cache lands in the run leaf, inside the results; say so
 * before the run starts instead of after it (the rules edition would only
 * find it then). An error in CLOSED, a warning otherwise.
 */
export async function checkCacheDirOutsideResults(ctx: RunContext): Promise<void> {
  const run = runWithOptions(ctx, KvcacheRunOptionsSchema)
  if (ctx.benchmark !== 'kvcache' || ctx.command !== 'run' || !run) return
  const {cacheDir} = run.options
  const inside = cacheDir === undefined || !relative(resolve(ctx.config.resultsDir), resolve(cacheDir)).startsWith('..')
  if (!inside) return
  ctx.addFinding({
    ruleId: '6.4.1 kvcacheCacheDirOutsideResults', severity: ctx.division === 'closed' ? 'error' : 'warn', kind: 'input',
    message: cacheDir === undefined
      ? 'no --cache-dir: the KV cache would be written inside the run leaf, in the results folder'
      : `--cache-dir ${cacheDir} is inside the results folder ${ctx.config.resultsDir}`,
    fix: 'pass --cache-dir on the storage under test, outside --results-dir (or set benchmarks.kvcache.cacheDir)',
  })
}
