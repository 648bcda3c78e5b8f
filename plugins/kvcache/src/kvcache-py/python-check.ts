import {dirname} from 'node:path'
import {type CheckContext, type CheckResult, type PreflightCheck} from 'mlps'
import {installHint, pipInstallCommand, SYSTEM_PACKAGES} from 'mlps/unstable'
import {type KvCachePyOptions, KvCachePyOptionsSchema} from '../options.js'
import {kvcachePythonOf} from './kvcache-python.js'
import {locateScript} from './locate-script.js'

// argv data for `python -c <probe> <script dir> <script>`: imports what kv-cache.py imports (its kv_cache
// package, beside it) and PyYAML, which its --config needs, and prints as JSON the version, the first module
// that is missing, and the SHA-256 of the script (as sha256sum prints it) and one of the benchmark's code (script, config.yaml, kv_cache/*.py, each with its path)
const PROBE = String.raw`import sys, json, importlib, hashlib, os
sys.path.insert(0, sys.argv[1])
out = {"python": "%d.%d.%d" % sys.version_info[:3]}
def sha256(paths):
    digest = hashlib.sha256()
    for path in paths:
        digest.update(os.path.relpath(path, sys.argv[1]).encode() + b"\0")
        with open(path, "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()
if os.path.isfile(sys.argv[2]):
    with open(sys.argv[2], "rb") as f:
        out["script"] = hashlib.sha256(f.read()).hexdigest()
    package = [os.path.join(d, n) for d, _, names in os.walk(os.path.join(sys.argv[1], "kv_cache")) for n in names if n.endswith(".py")]
    config = [p for p in [os.path.join(sys.argv[1], "config.yaml")] if os.path.isfile(p)]
    out["benchmark"] = sha256([sys.argv[2]] + config + sorted(package))
if sys.version_info < (3, 10):
    out["tooOld"] = True
else:
    for name in ("yaml", "numpy", "kv_cache.cli"):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as error:
            out["missing"] = {"module": error.name or name, "importing": name}
            break
        except Exception as error:
            out["broken"] = {"importing": name, "error": repr(error)}
            break
print(json.dumps(out))
`

/** pip's name for an import that is missing */
const DISTRIBUTION: Record<string, string> = {yaml: 'PyYAML', numpy: 'numpy'}

/** In a run: --python, else the config; for `mlps doctor` and lockfiles: engines.kvcache-py.python (default python3). */
function kvcachePython(ctx: CheckContext): string {
  if (ctx.run?.engine?.name === 'kvcache-py') return kvcachePythonOf(ctx.run)
  return KvCachePyOptionsSchema.safeParse(ctx.config.engines['kvcache-py'] ?? {}).data?.python ?? 'python3'
}

/**
 * On every host the ranks run on: the Python that will run kv-cache.py imports what the script imports
 * (engines.md §3.2, §5.2), naming the module that is missing and the command that installs it.
 */
export const kvcachePythonCheck: PreflightCheck = {
  id: 'kvcache-py.python',
  title: 'the Python that runs kv-cache.py, and the modules the script imports',
  runsOn: 'hosts',
  engine: 'kvcache-py',
  appliesTo: ctx => ctx.benchmark === undefined || ctx.benchmark === 'kvcache',
  sameOnEveryHost: 'warn',
  async run(ctx, host): Promise<CheckResult> {
    const python = kvcachePython(ctx)
    const configured = ctx.run?.engine?.name === 'kvcache-py' ? (ctx.run.engineOptions as KvCachePyOptions).script
      : KvCachePyOptionsSchema.safeParse(ctx.config.engines['kvcache-py'] ?? {}).data?.script
    const flag = ctx.run?.options.kvcacheScript
    const location = await locateScript(typeof flag === 'string' ? flag : undefined, configured)
    const scriptDir = dirname(location.script)
    const result = await ctx.shell(host).exec([python, '-c', PROBE, scriptDir, location.script], {timeoutMs: 120_000, signal: ctx.signal})
    if (result.failure && /not found/.test(result.failure)) {
      return {status: 'fail', detail: `${python} is not installed on ${host}`, fix: `${installHint(await ctx.os(host), SYSTEM_PACKAGES.python3, 'Python 3')}, or pass --python (engines.kvcache-py.python)`}
    }
    let answer: {python?: string; script?: string; benchmark?: string; tooOld?: boolean; missing?: {module: string; importing: string}; broken?: {importing: string; error: string}}
    try {
      answer = JSON.parse(result.stdout.trim().split('\n').pop() ?? '')
    } catch {
      return {status: 'skip', detail: `not evaluable: ${python} on ${host}: ${result.failure ?? (result.stderr.trim().split('\n').pop() || `exit ${result.exitCode}`)}`}
    }
    // the code that ran, for the lockfile: kv-cache.py has no version of its own
    const versions = answer.python ? {
      python: answer.python, ...answer.script ? {'kv-cache.py sha256': answer.script} : {}, ...answer.benchmark ? {'kv_cache_benchmark sha256': answer.benchmark} : {},
    } : undefined
    if (answer.tooOld) return {status: 'fail', detail: `${python} is Python ${answer.python}; kv-cache.py needs 3.10 or newer`, fix: 'pass --python with a Python >= 3.10 (engines.kvcache-py.python)', versions}
    if (answer.missing) {
      const {module, importing} = answer.missing
      const top = module.split('.')[0]
      const bundled = top === 'kv_cache'
      return {
        status: 'fail', versions,
        detail: `${python} cannot import ${module}${importing !== module ? ` (imported by ${importing})` : ''}${bundled ? `: ${scriptDir} is not a complete kv_cache_benchmark/` : ''}`,
        fix: bundled ? 'use a complete kv_cache_benchmark/ checkout (kv-cache.py with its kv_cache/ package)'
          : `${pipInstallCommand(python, [DISTRIBUTION[top] ?? top])}, or pass --python with an interpreter that has it (engines.kvcache-py.python)`,
      }
    }
    if (answer.broken) return {status: 'fail', detail: `${python} fails importing ${answer.broken.importing}: ${answer.broken.error}`, versions}
    return {status: 'ok', detail: `${python} (Python ${answer.python}) imports kv-cache.py's modules from ${scriptDir}`, versions}
  },
}
