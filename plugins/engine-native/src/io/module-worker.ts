import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {Worker, type WorkerOptions} from 'node:worker_threads'

/** Flags that preload modules or install loader hooks, each followed by its module unless written `--flag=module`. */
const PRELOAD_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader'])

/**
 * The parent's node flags less its preloads and loader hooks: a worker
 * inherits them by default, and `--import tsx` (bench, tests) alone costs each
 * worker thread four times its bare start-up, all of it before the first read.
 */
export function workerExecArgv(parentExecArgv: readonly string[]): string[] {
  const kept: string[] = []
  for (let i = 0; i < parentExecArgv.length; i++) {
    const flag = parentExecArgv[i]
    if (PRELOAD_FLAGS.has(flag)) i++
    else if (!PRELOAD_FLAGS.has(flag.split('=')[0])) kept.push(flag)
  }
  return kept
}

/**
 * Starts a worker thread on the module `baseName` next to `importMetaUrl`,
 * with the caller's own extension: `.js` once compiled, `.ts` when running
 * from source. Node 20 does not apply the parent's tsx loader hooks to a
 * worker's entry module, so a `.ts` entry is loaded through a small bootstrap
 * that registers tsx in the worker first.
 */
export function startModuleWorker(importMetaUrl: string, baseName: string, options: WorkerOptions): Worker {
  const extension = path.extname(fileURLToPath(importMetaUrl))
  const entry = new URL(`./${baseName}${extension}`, importMetaUrl)
  const execArgv = workerExecArgv(process.execArgv)
  // left to inherit when nothing is dropped: an explicit list is re-checked and refuses some per-process flags
  const withFlags = execArgv.length === process.execArgv.length ? options : {...options, execArgv}
  if (extension !== '.ts') return new Worker(entry, withFlags)
  // Resolved from here (not the worker's cwd); the eval'd bootstrap runs as CommonJS, hence require.
  const tsxApi = createRequire(importMetaUrl).resolve('tsx/esm/api')
  const bootstrap = `require(${JSON.stringify(tsxApi)}).register(); import(${JSON.stringify(entry.href)})`
  return new Worker(bootstrap, {...withFlags, eval: true})
}
