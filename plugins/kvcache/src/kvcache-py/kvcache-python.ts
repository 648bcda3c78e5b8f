import type {RunContext} from 'mlps'
import type {KvCachePyOptions} from '../options.js'

/** The interpreter every rank runs kv-cache.py with: --python, else engines.kvcache-py.python (default python3). */
export function kvcachePythonOf(ctx: RunContext): string {
  const flag = (ctx.options as {python?: unknown}).python
  return typeof flag === 'string' ? flag : (ctx.engineOptions as KvCachePyOptions).python
}
