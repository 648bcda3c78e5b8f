import {stat} from 'node:fs/promises'
import {dirname, relative, resolve} from 'node:path'
import {KvcacheRunOptionsSchema, runWithOptions} from '@mlps/run-options'
import type {CheckResult, PreflightCheck} from 'mlps'

/**
 * Rules 6.4.1 wants the cache on other storage than the results. Without
 * --cache-dir the cache lands in the run leaf, inside the results; say so
 * before the run starts instead of after it (the rules edition would only
 * find it then). An error in CLOSED, a warning otherwise; `mlps doctor`
 * judges benchmarks.kvcache.cacheDir of the site config, as a warning.
 */
export const cacheDirOutsideResultsCheck: PreflightCheck = {
  id: '6.4.1 kvcacheCacheDirOutsideResults',
  title: 'the KV cache is written outside the results folder',
  runsOn: 'invocation',
  benchmark: 'kvcache',
  commands: ['run'],
  async run(ctx): Promise<CheckResult> {
    const cacheDir = ctx.run ? runWithOptions(ctx.run, KvcacheRunOptionsSchema)?.options.cacheDir : (ctx.config.benchmarks.kvcache as {cacheDir?: string} | undefined)?.cacheDir
    const inside = cacheDir === undefined || !relative(resolve(ctx.config.resultsDir), resolve(cacheDir)).startsWith('..')
    if (!inside) return {status: 'ok', detail: `${cacheDir} is outside the results folder ${ctx.config.resultsDir}`}
    return {
      status: ctx.run?.division === 'closed' ? 'fail' : 'warn', kind: 'input',
      detail: cacheDir === undefined
        ? 'no --cache-dir: the KV cache would be written inside the run leaf, in the results folder'
        : `--cache-dir ${cacheDir} is inside the results folder ${ctx.config.resultsDir}`,
      fix: 'pass --cache-dir on the storage under test, outside --results-dir (or set benchmarks.kvcache.cacheDir)',
    }
  },
}

/** A --cache-dir that is a file (or lies under one) cannot hold a cache: bad input, said before the engine starts. */
export const cacheDirIsFolderCheck: PreflightCheck = {
  id: 'kvcache.cacheDirIsFolder',
  title: 'the KV cache folder is a folder (or can be made one)',
  runsOn: 'invocation',
  benchmark: 'kvcache',
  commands: ['run'],
  async run(ctx): Promise<CheckResult> {
    const cacheDir = ctx.run ? runWithOptions(ctx.run, KvcacheRunOptionsSchema)?.options.cacheDir : undefined
    if (cacheDir === undefined) return {status: 'skip', detail: 'no --cache-dir: the cache goes in the run leaf'}
    for (let path = resolve(cacheDir); ; path = dirname(path)) {
      const info = await stat(path).catch(() => undefined)
      if (info && !info.isDirectory()) {
        return {status: 'fail', kind: 'input', detail: `--cache-dir ${cacheDir}: ${path} is a file, not a folder`, fix: 'pass --cache-dir a folder (or a path where one can be made) on the storage under test'}
      }
      if (info || dirname(path) === path) return {status: 'ok', detail: `${cacheDir} is a folder or can be made under ${path}`}
    }
  },
}
