import {constants} from 'node:fs'
import {access} from 'node:fs/promises'
import {delimiter, isAbsolute, join} from 'node:path'
import {execa} from 'execa'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {HostSlot} from '../lifecycle/run-context.js'
import type {LauncherInfo} from './launcher.js'
import {isLocalHost} from '../hosts/local-host.js'
import {parseLauncherVersion} from './version-text.js'

export type LauncherType = 'auto' | 'local' | 'openmpi' | 'mpich' | 'srun'

export interface DetectOptions {
  type: LauncherType
  /** launcher.bin: the mpirun/mpiexec/srun to use */
  bin?: string
  numProcesses: number
  hosts: readonly HostSlot[]
  env?: NodeJS.ProcessEnv
}

/** The first executable `name` on PATH (or `name` itself when it is a path), else undefined. */
export async function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const candidates = name.includes('/') ? [name] : (env.PATH ?? '').split(delimiter).filter(Boolean).map(dir => join(dir, name))
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK)
      return isAbsolute(candidate) ? candidate : join(process.cwd(), candidate)
    } catch {}
  }
  return undefined
}

const versions = new Map<string, Promise<string>>()

/** `<bin> --version` output (stdout and stderr), asked once per binary per process. */
function versionText(bin: string): Promise<string> {
  let text = versions.get(bin)
  if (!text) {
    text = execa(bin, ['--version'], {reject: false, timeout: 15_000, stdin: 'ignore', all: true}).then(result => String(result.all ?? ''))
    versions.set(bin, text)
  }
  return text
}

async function parsedVersion(bin: string): Promise<{text: string; parsed?: Omit<LauncherInfo, 'bin'>}> {
  const text = await versionText(bin)
  return {text, parsed: parseLauncherVersion(text)}
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]
}

/** Auto detection: the binary's own --version must say what it is. */
async function probe(bin: string): Promise<LauncherInfo> {
  const {text, parsed} = await parsedVersion(bin)
  if (!parsed) {
    throw new MlpsError(`cannot tell which launcher ${bin} is from its --version output${text.trim() ? `: ${firstLine(text)}` : ''}`, {
      where: 'launcher.type', exitCode: ExitCode.EnvironmentNotReady, fix: 'set launcher.type to openmpi, mpich or srun (and launcher.bin if it is not on PATH)',
    })
  }
  return {...parsed, bin}
}

/** Where each configured type looks when launcher.bin is not set, in order: the family's own names first. */
const CANDIDATES = {
  openmpi: ['mpirun', 'mpiexec.openmpi', 'mpirun.openmpi', 'mpiexec'],
  // Debian keeps Open MPI as mpirun/mpiexec when both are installed; MPICH's Hydra is mpiexec.mpich / mpiexec.hydra
  mpich: ['mpiexec.mpich', 'mpiexec.hydra', 'mpiexec', 'mpirun.mpich', 'mpirun'],
  srun: ['srun'],
} as const
const KIND = {openmpi: 'openmpi', mpich: 'mpich', srun: 'slurm'} as const
const FAMILY = {openmpi: 'an Open MPI mpirun', mpich: 'an MPICH mpiexec', srun: 'srun'} as const

/**
 * A configured launcher.type is trusted: a binary whose --version says nothing mlps knows (a site
 * wrapper, srun without its slurm.conf) is taken to be of that type. Only a binary that says it is
 * another family is not: an explicit launcher.bin is then an error, and a default name is passed over
 * for the next one (Open MPI's mpiexec when MPICH is asked for).
 */
async function configured(type: Exclude<LauncherType, 'auto' | 'local'>, bin: string | undefined, env: NodeJS.ProcessEnv): Promise<LauncherInfo> {
  const expected = KIND[type]
  if (bin) {
    const found = await findExecutable(bin, env)
    if (!found) {
      throw new MlpsError(`${bin} was not found${bin.includes('/') ? '' : ' on PATH'}`, {where: 'launcher.bin', exitCode: ExitCode.EnvironmentNotReady, fix: installHint(type)})
    }
    const {parsed} = await parsedVersion(found)
    if (parsed && parsed.kind !== expected) {
      throw new MlpsError(`launcher.type says ${type} but ${found} is ${parsed.implementation ?? parsed.kind}`, {
        where: 'launcher.type', fix: `set launcher.type to ${parsed.kind === 'slurm' ? 'srun' : parsed.kind} or point launcher.bin at the ${type} launcher`,
      })
    }
    return parsed ? {...parsed, bin: found} : {kind: expected, bin: found}
  }
  const passedOver: string[] = []
  for (const name of CANDIDATES[type]) {
    const found = await findExecutable(name, env)
    if (!found) continue
    const {parsed} = await parsedVersion(found)
    if (!parsed) return {kind: expected, bin: found}
    if (parsed.kind === expected) return {...parsed, bin: found}
    passedOver.push(`${name} is ${parsed.implementation ?? parsed.kind}${parsed.version ? ` ${parsed.version}` : ''}`)
  }
  throw new MlpsError(`${FAMILY[type]} was not found on PATH (looked for ${CANDIDATES[type].join(', ')}${passedOver.length > 0 ? `; ${passedOver.join(', ')}` : ''})`, {
    where: 'launcher.type', exitCode: ExitCode.EnvironmentNotReady, fix: installHint(type),
  })
}

/**
 * Choose the launcher: the configured type (see `configured`), or with `auto` srun inside a Slurm
 * allocation, else the MPI that `mpirun` (then `mpiexec`) reports in `--version`, else `local` when one
 * process on this machine is all that is asked. Nothing usable is an environment error (exit 3) naming
 * the fix.
 */
export async function detectLauncher(options: DetectOptions): Promise<LauncherInfo> {
  const env = options.env ?? process.env
  if (options.type === 'local') return {kind: 'local'}
  if (options.type !== 'auto') return configured(options.type, options.bin, env)
  if (options.bin) {
    const bin = await findExecutable(options.bin, env)
    if (!bin) throw new MlpsError(`${options.bin} was not found`, {where: 'launcher.bin', exitCode: ExitCode.EnvironmentNotReady, fix: 'give the path of mpirun, mpiexec or srun'})
    return probe(bin)
  }
  if (env.SLURM_JOB_ID) {
    const srun = await findExecutable('srun', env)
    if (srun) return configured('srun', srun, env)
  }
  for (const name of ['mpirun', 'mpiexec']) {
    const bin = await findExecutable(name, env)
    if (bin) return probe(bin)
  }
  if (options.numProcesses === 1 && options.hosts.every(host => isLocalHost(host.name))) return {kind: 'local'}
  throw new MlpsError(`no MPI launcher was found (mpirun, mpiexec${env.SLURM_JOB_ID ? ', srun' : ''}), and ${options.numProcesses} ranks${options.hosts.some(host => !isLocalHost(host.name)) ? ' on other hosts' : ''} need one`, {
    where: 'launcher', exitCode: ExitCode.EnvironmentNotReady, fix: installHint('openmpi'),
  })
}

function installHint(type: Exclude<LauncherType, 'auto' | 'local'>): string {
  if (type === 'srun') return 'run inside a Slurm allocation (salloc/sbatch) where srun is on PATH, or set launcher.bin'
  if (type === 'mpich') return 'install MPICH (Debian/Ubuntu: apt install mpich libmpich-dev; RHEL: dnf install mpich-devel), or set launcher.bin'
  return 'install Open MPI (Debian/Ubuntu: apt install openmpi-bin libopenmpi-dev; RHEL: dnf install openmpi-devel), or set launcher.bin'
}
