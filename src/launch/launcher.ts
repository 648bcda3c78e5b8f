import type {HostSlot} from '../lifecycle/run-context.js'
import type {RankPlacement} from '../hosts/placement.js'

/** The launcher families mlps drives; `launcher.type: srun` in the config is the slurm launcher. */
export type LauncherKind = 'local' | 'openmpi' | 'mpich' | 'slurm'

export interface LauncherInfo {
  kind: LauncherKind
  /** the binary to run (mpirun, mpiexec, srun); undefined for local */
  bin?: string
  /** the version `--version` reported, e.g. "4.1.4" */
  version?: string
  /** major version, where the dialect depends on it (Open MPI 4 vs 5) */
  major?: number
  /** what `--version` said the implementation is, e.g. "Open MPI", "MPICH (Hydra)", "Intel MPI (Hydra)" */
  implementation?: string
}

/** The `launcher` section of the site config, as the launch layer needs it. */
export interface LauncherSettings {
  extraArgs: readonly string[]
  oversubscribe: boolean
  allowRunAsRoot: 'auto' | 'always' | 'never'
  /** variable names (a trailing * matches a prefix) forwarded from mlps's environment to every rank */
  envAllowList: readonly string[]
}

export interface LaunchRequest {
  /** the program and its arguments, run once per rank */
  command: readonly string[]
  numProcesses: number
  hosts: readonly HostSlot[]
  /** set as MLPS_RUN_ID on every launched process, so logs and stray processes can be traced to the run */
  runId: string
  /** variables mlps sets for the program (not secrets: they are recorded) */
  env?: Readonly<Record<string, string>>
  settings: LauncherSettings
  /** whether mlps runs as root; defaults to the current user */
  isRoot?: boolean
  /** the environment mlps runs in: the allow-list reads it, SLURM_JOB_ID in it means a Slurm allocation; defaults to process.env */
  parentEnv?: NodeJS.ProcessEnv
  /** where the hosts came from, for error messages */
  hostsWhere?: string
}

/** An argv ready to run, and what it forwards. */
export interface LaunchCommand {
  launcher: LauncherInfo
  argv: string[]
  /** variables set on the launcher's process on top of the inherited environment */
  env: Record<string, string>
  /** names passed on to every rank (remote ones included) */
  forwarded: string[]
  /** allow-listed names that are not set here, so nothing was forwarded for them */
  notSet: string[]
  placement: RankPlacement
  /** the host of each rank, when the mapping is mlps's own (so a failed rank can be named with its host) */
  rankHosts?: string[]
  runId: string
}

export const RUN_ID_VARIABLE = 'MLPS_RUN_ID'
