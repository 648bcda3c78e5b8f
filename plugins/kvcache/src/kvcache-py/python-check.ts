import {execa} from 'execa'

export type PythonCheck = {ok: true; version: string} | {ok: false; problem: string}

// argv data for `python -c`: prints the version, fails with the missing module's name
const PROBE = 'import sys\nprint("%d.%d.%d" % sys.version_info[:3])\nassert sys.version_info >= (3, 10), "Python >= 3.10 is needed"\nimport numpy, yaml'

/** Whether `python` can run kv-cache.py storage-only: Python ≥ 3.10 with numpy and PyYAML (engines.md §3.2, §5.2). */
export async function checkPython(python: string): Promise<PythonCheck> {
  const result = await execa(python, ['-c', PROBE], {reject: false, timeout: 30_000, stdin: 'ignore'})
  if (result.failed && (result as {code?: string}).code === 'ENOENT') return {ok: false, problem: `${python} was not found`}
  if (result.exitCode !== 0) {
    const last = String(result.stderr).trim().split('\n').pop() ?? `exit ${result.exitCode}`
    return {ok: false, problem: `${python} cannot run kv-cache.py: ${last}`}
  }
  return {ok: true, version: String(result.stdout).trim()}
}
