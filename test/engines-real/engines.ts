import {accessSync, constants} from 'node:fs'
import {join} from 'node:path'

/** The official engines as ../shared/engines/install.sh installs them (DLIO_BIN=, ENGINE_PYTHON=, KVCACHE_SCRIPT=). */
export interface RealEngines {
  dlioBin: string
  python: string
  kvcacheScript: string
}

const HOW_TO_ENABLE = 'set MLPS_ENGINES_PREFIX=<prefix> (or DLIO_BIN, ENGINE_PYTHON and KVCACHE_SCRIPT), or run ../shared/engines/install.sh <prefix>'

function usable(path: string | undefined, mode: number): boolean {
  if (!path) return false
  try {
    accessSync(path, mode)
    return true
  } catch {
    return false
  }
}

/** The engines from the environment: the install script's variables, else MLPS_ENGINES_PREFIX's layout. */
export function locateEngines(env: NodeJS.ProcessEnv = process.env): {engines?: RealEngines; missing: string[]} {
  const prefix = env.MLPS_ENGINES_PREFIX
  const engines: RealEngines = {
    dlioBin: env.DLIO_BIN ?? (prefix ? join(prefix, 'dlio', 'bin', 'dlio_benchmark') : ''),
    python: env.ENGINE_PYTHON ?? (prefix ? join(prefix, 'dlio', 'bin', 'python') : ''),
    kvcacheScript: env.KVCACHE_SCRIPT ?? (prefix ? join(prefix, 'kv_cache_benchmark', 'kv-cache.py') : ''),
  }
  const missing = [
    ...usable(engines.dlioBin, constants.X_OK) ? [] : [`DLIO_BIN (${engines.dlioBin || 'unset'})`],
    ...usable(engines.python, constants.X_OK) ? [] : [`ENGINE_PYTHON (${engines.python || 'unset'})`],
    ...usable(engines.kvcacheScript, constants.R_OK) ? [] : [`KVCACHE_SCRIPT (${engines.kvcacheScript || 'unset'})`],
  ]
  return missing.length === 0 ? {engines, missing} : {missing}
}

let told = false

/**
 * For a describe's `before`: the engines, or (not in CI) skip the suite with one line saying how to
 * enable it. Under CI=true a missing engine fails the run: CI installs them, so their absence is a bug.
 */
export function requireEngines(context: Mocha.Context): RealEngines {
  const {engines, missing} = locateEngines()
  if (engines) return engines
  if (process.env.CI === 'true') throw new Error(`the real engines are missing in CI: ${missing.join(', ')}; .ci/run installs them with ../shared/engines/install.sh`)
  if (!told) {
    told = true
    console.log(`      (real-engine tests skipped: ${HOW_TO_ENABLE})`)
  }
  context.skip()
}
