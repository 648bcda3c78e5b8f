import {access, constants} from 'node:fs/promises'
import {dirname, join, resolve} from 'node:path'

export interface ScriptLocation {
  /** absolute path of kv-cache.py, or the first place looked when it was found nowhere */
  script: string
  found: boolean
  /** where the path came from, for messages */
  source: string
  /** every place looked, in order */
  looked: string[]
}

async function readable(file: string): Promise<boolean> {
  try {
    await access(file, constants.R_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Find the user's kv-cache.py (mlpstorage-spec.md §4.1 `_find_kvcache_script`): the flag, then the
 * config, then `./kv_cache_benchmark/kv-cache.py` and `./kv-cache.py` under the working directory.
 * A path the user named is never swapped for another one found elsewhere.
 */
export async function locateScript(flag: string | undefined, configured: string | undefined, cwd = process.cwd()): Promise<ScriptLocation> {
  const named = flag ?? configured
  if (named) {
    const script = resolve(cwd, named)
    return {script, found: await readable(script), source: flag ? '--kvcache-bin-path' : 'engines.kvcache-py.script', looked: [script]}
  }
  const looked = [join(cwd, 'kv_cache_benchmark', 'kv-cache.py'), join(cwd, 'kv-cache.py')]
  for (const script of looked) if (await readable(script)) return {script, found: true, source: 'the working directory', looked}
  return {script: looked[0], found: false, source: 'the default locations', looked}
}

/** mlpstorage always passes the config.yaml that sits beside kv-cache.py (engines.md §3.2). */
export function configBeside(script: string): string {
  return join(dirname(script), 'config.yaml')
}
