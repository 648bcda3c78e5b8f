import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {Worker, type WorkerOptions} from 'node:worker_threads'

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
  if (extension !== '.ts') return new Worker(entry, options)
  // Resolved from here (not the worker's cwd); the eval'd bootstrap runs as CommonJS, hence require.
  const tsxApi = createRequire(importMetaUrl).resolve('tsx/esm/api')
  const bootstrap = `require(${JSON.stringify(tsxApi)}).register(); import(${JSON.stringify(entry.href)})`
  return new Worker(bootstrap, {...options, eval: true})
}
