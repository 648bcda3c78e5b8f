import {z} from 'zod'
import type {HostShell} from './host-shell.js'

/**
 * One Python run that answers everything the checks and the lockfile ask of
 * an interpreter: its version, which modules it can find (without importing
 * them, except mpi4py.MPI, whose import is what fails when mpi4py was built
 * against another MPI), and every installed distribution with its version
 * (importlib.metadata, so it works without pip).
 */
const PROBE = String.raw`import sys, json, importlib.util, importlib.metadata as md
out = {"python": sys.version.split()[0], "executable": sys.executable, "modules": {}, "errors": {}, "distributions": {}}
for name in sys.argv[1:]:
    try:
        out["modules"][name] = importlib.util.find_spec(name) is not None
    except Exception as error:
        out["modules"][name] = False
        out["errors"][name] = repr(error)
if out["modules"].get("mpi4py"):
    try:
        from mpi4py import MPI
    except Exception as error:
        out["modules"]["mpi4py"] = False
        out["errors"]["mpi4py"] = "from mpi4py import MPI failed: " + repr(error)
for dist in md.distributions():
    name = dist.metadata["Name"]
    if name:
        out["distributions"][name] = dist.version
print(json.dumps(out))
`

const ProbeSchema = z.object({
  python: z.string(),
  executable: z.string(),
  modules: z.record(z.string(), z.boolean()),
  errors: z.record(z.string(), z.string()),
  distributions: z.record(z.string(), z.string()),
})

export type PythonProbe = z.infer<typeof ProbeSchema>

/** The PEP 503 name of a distribution, so "Hydra_Core" and "hydra-core" are one package. */
export function normalizePackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-')
}

/** Ask `python` (a command, possibly with arguments) on `shell`'s host; a Python that cannot run is an error with the reason. */
export async function probePython(shell: HostShell, python: readonly string[], modules: readonly string[], signal?: AbortSignal): Promise<PythonProbe | {error: string}> {
  const result = await shell.exec([...python, '-c', PROBE, ...modules], {timeoutMs: 60_000, signal})
  if (result.failure) return {error: result.failure}
  if (result.exitCode !== 0) return {error: `${python.join(' ')} exited ${result.exitCode}: ${result.stderr.trim().split('\n').pop() ?? ''}`}
  try {
    const parsed = ProbeSchema.parse(JSON.parse(result.stdout.trim().split('\n').pop() ?? ''))
    parsed.distributions = Object.fromEntries(Object.entries(parsed.distributions).map(([name, version]) => [normalizePackageName(name), version]).sort(([a], [b]) => a.localeCompare(b)))
    return parsed
  } catch (error) {
    return {error: `${python.join(' ')} printed something unexpected: ${(error as Error).message.slice(0, 200)}`}
  }
}
