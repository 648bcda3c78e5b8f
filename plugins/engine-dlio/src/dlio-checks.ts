import {type DlioRunOptions, DlioRunOptionsSchema, runWithOptions} from '@mlps/run-options'
import {type CheckContext, type CheckResult, type HostShell, type OsInfo, type PreflightCheck, type RunContext} from 'mlps'
import {installCommand, installHint, pipInstallCommand, probePython, SYSTEM_PACKAGES} from 'mlps/unstable'
import {DLIO_BIN_NAME, pythonOfScript, resolveDlioBinary} from './dlio-binary.js'
import {dlioInstallSource} from './dlio-install-source.js'
import {type DlioOptions, DlioOptionsSchema} from './dlio-options.js'
import {workloadOnBucket} from './object-storage.js'

/**
 * The DLIO MLPerf Storage v3.0 runs (engines.md §1.1): the mlcommons fork at the commit the round's uv.lock
 * pins, installed with pip, as mlcommons/storage's setup_env.sh installs it (into a venv).
 */
export const DLIO_COMMIT = '4be40e6b9077674513c0defd5283faf3cbae8445'
const DLIO_SPEC = `dlio-benchmark @ git+https://github.com/mlcommons/DLIO_local_changes.git@${DLIO_COMMIT}`
/** the venv the hint installs into when no Python was chosen */
const VENV = '~/mlps-engines/dlio'

/** import name → what pip installs for it */
const DISTRIBUTION: Record<string, string> = {
  dlio_benchmark: DLIO_SPEC, mpi4py: 'mpi4py', hydra: 'hydra-core', omegaconf: 'omegaconf',
  torch: 'torch', tensorflow: 'tensorflow', 'nvidia.dali': 'nvidia-dali-cuda120',
  s3dlio: 's3dlio', minio: 'minio', s3torchconnector: 's3torchconnector',
}

/** the workload's framework, which DLIO imports for every workload (datagen too), and a DALI reader's module */
const FRAMEWORK: Record<string, string> = {pytorch: 'torch', tensorflow: 'tensorflow'}
const READER: Record<string, string> = {dali: 'nvidia.dali', native_dali: 'nvidia.dali'}

/** The run being checked, when it is one DLIO can run (training, checkpointing); none under `mlps doctor` */
function dlioRunOf(ctx: CheckContext): RunContext<DlioRunOptions> | undefined {
  return ctx.run && runWithOptions(ctx.run, DlioRunOptionsSchema)
}

/**
 * What DLIO's Python must import: DLIO, mpi4py with its MPI, hydra (engines.md §5.1 check 1), the workload's
 * framework, and on a bucket the storage library (engines.dlio.objectStorage.library), which DLIO imports only
 * once it has started.
 */
export function requiredModules(ctx: CheckContext): string[] {
  const workload = dlioRunOf(ctx)?.options.workload
  const library = workloadOnBucket(workload) ? dlioOptionsOf(ctx)?.objectStorage.library : undefined
  const extra = [FRAMEWORK[workload?.framework ?? ''], READER[workload?.reader?.data_loader ?? ''], library].filter((name): name is string => Boolean(name))
  return ['dlio_benchmark', 'mpi4py', 'hydra', 'omegaconf', ...new Set(extra)]
}

function dlioOptionsOf(ctx: CheckContext): DlioOptions | undefined {
  if (ctx.run?.engine?.name === 'dlio') return ctx.run.engineOptions as DlioOptions
  const parsed = DlioOptionsSchema.safeParse(ctx.config.engines.dlio ?? {})
  return parsed.success ? parsed.data : undefined
}

/** --dlio-bin, then engines.dlio.bin: an explicit choice, else undefined (PATH) */
function explicitBinary(ctx: CheckContext): string | undefined {
  return flagBinary(ctx) ?? dlioOptionsOf(ctx)?.bin
}

/** --dlio-bin of the run being checked, when it is one DLIO can run */
function flagBinary(ctx: CheckContext): string | undefined {
  return dlioRunOf(ctx)?.options.dlioBin
}

const FIND_ON_HOST = `p=$1
if [ -d "$p" ]; then p="$p/${DLIO_BIN_NAME}"; fi
case "$p" in */*) [ -x "$p" ] && printf '%s\\n' "$p";; *) command -v "$p";; esac
`

/** dlio_benchmark on `host`: the explicit path, else PATH (of a non-interactive login there) */
async function findDlio(ctx: CheckContext, host: string): Promise<{path?: string; looked: string} | {failure: string}> {
  const explicit = explicitBinary(ctx)
  if (ctx.isLocal(host)) {
    const found = await resolveDlioBinary(flagBinary(ctx), dlioOptionsOf(ctx)?.bin)
    return {path: found.path, looked: found.tried.join(', ')}
  }
  const result = await ctx.shell(host).exec(['sh', '-c', FIND_ON_HOST, 'sh', explicit ?? DLIO_BIN_NAME], {timeoutMs: 30_000, signal: ctx.signal})
  if (result.exitCode === undefined) return {failure: result.failure ?? 'no answer'}
  return {path: result.stdout.trim().split('\n')[0] || undefined, looked: explicit ?? 'PATH'}
}

/**
 * The Python DLIO runs with on `host`: engines.dlio.python, else the #! line of the dlio_benchmark found
 * there, else (none found) python3, the one the install hint uses. A dlio_benchmark that is not a Python
 * script leaves it unknown, as the engine's own preflight says too.
 */
async function dlioPython(ctx: CheckContext, host: string, shell: HostShell): Promise<string[] | {unknown: string}> {
  const configured = dlioOptionsOf(ctx)?.python
  if (configured) return [configured]
  const found = await findDlio(ctx, host)
  if (!('path' in found) || !found.path) return ['python3']
  const python = shell.local ? await pythonOfScript(found.path).catch(() => undefined) : await remotePythonOfScript(ctx, shell, found.path)
  return python ?? {unknown: `${found.path} is not a Python script, so the Python to check is unknown (set engines.dlio.python)`}
}

async function remotePythonOfScript(ctx: CheckContext, shell: HostShell, path: string): Promise<string[] | undefined> {
  const head = await shell.exec(['head', '-n', '1', path], {timeoutMs: 30_000, signal: ctx.signal})
  const line = head.stdout.split('\n')[0]
  return line.startsWith('#!') && /python/.test(line) ? line.slice(2).trim().split(/\s+/) : undefined
}

/**
 * The whole install for this host's OS: MPI with headers (for mpi4py), then the pinned DLIO with pip, into a
 * venv unless a Python was chosen (engines.dlio.python). Offline hosts install from source archives instead
 * (README, "Installing the engines").
 */
function installDlio(os: OsInfo, python: string | undefined): string {
  const mpi = installCommand(os, SYSTEM_PACKAGES.openmpi)
  // the venv path stays unquoted so the shell expands its ~
  const pip = python ? pipInstallCommand(python, [DLIO_SPEC]) : `python3 -m venv ${VENV} && ${VENV}/bin/${pipInstallCommand('python', [DLIO_SPEC])}`
  const where = python ? 'put that Python\'s bin folder on PATH or set engines.dlio.bin' : `set engines.dlio.bin to ${VENV}/bin/dlio_benchmark`
  return `${mpi ? `${mpi} && ` : ''}${pip}, then ${where} (offline: install from the source archives, README "Installing the engines")`
}

export const dlioBinaryCheck: PreflightCheck = {
  id: 'dlio.installed',
  title: 'dlio_benchmark on every host, at the same path',
  runsOn: 'hosts',
  engine: 'dlio',
  sameOnEveryHost: 'fail',
  async run(ctx, host): Promise<CheckResult> {
    const found = await findDlio(ctx, host)
    if ('failure' in found) return {status: 'skip', detail: `not evaluable: ${found.failure}`}
    if (found.path) return {status: 'ok', detail: found.path, versions: {bin: found.path}}
    const python = dlioOptionsOf(ctx)?.python
    return {
      status: 'fail', detail: `${DLIO_BIN_NAME} was not found (looked at ${found.looked}); mlps runs the real DLIO but does not bundle it`,
      fix: `${installDlio(await ctx.os(host), python)}; or use --engine native, the built-in emulation`,
    }
  },
}

export const dlioPythonCheck: PreflightCheck = {
  id: 'dlio.python',
  title: 'DLIO\'s Python and the modules the workload needs',
  runsOn: 'hosts',
  engine: 'dlio',
  sameOnEveryHost: 'fail',
  async run(ctx, host): Promise<CheckResult> {
    const shell = ctx.shell(host)
    const python = await dlioPython(ctx, host, shell)
    if ('unknown' in python) return {status: 'skip', detail: `not evaluable: ${python.unknown}`}
    const modules = requiredModules(ctx)
    const probe = await probePython(shell, python, modules, ctx.signal)
    if ('error' in probe) {
      if (/not found|exited 127/.test(probe.error)) {
        return {status: 'fail', detail: `${python.join(' ')} is not installed on ${host}`, fix: `${installHint(await ctx.os(host), SYSTEM_PACKAGES.python3, 'Python 3')}, or set engines.dlio.python`}
      }
      return {status: 'skip', detail: `not evaluable: ${probe.error}`}
    }
    const versions = {python: probe.python, ...probe.distributions, ...probe.distributions['dlio-benchmark'] ? await dlioInstallSource(ctx, shell, python) : {}}
    const missing = modules.filter(name => !probe.modules[name])
    const where = `${python.join(' ')} (Python ${probe.python}, ${probe.executable})`
    if (missing.length === 0) return {status: 'ok', detail: `${where} imports ${modules.join(', ')}${probe.distributions['dlio-benchmark'] ? `; DLIO ${probe.distributions['dlio-benchmark']}` : ''}`, versions}
    const reasons = missing.map(name => probe.errors[name] ? `${name} (${probe.errors[name]})` : name)
    const mpi = missing.includes('mpi4py') ? installCommand(await ctx.os(host), SYSTEM_PACKAGES.openmpi) : undefined
    return {
      status: 'fail', detail: `${where} cannot import ${reasons.join(', ')}`,
      fix: `${mpi ? `${mpi} && ` : ''}${pipInstallCommand(python, missing.map(name => DISTRIBUTION[name] ?? name))}`,
      versions,
    }
  },
}

export const dlioChecks: PreflightCheck[] = [dlioBinaryCheck, dlioPythonCheck]
