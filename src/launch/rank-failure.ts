import type {LauncherKind} from './launcher.js'

// Open MPI 4: "Process name: [[25607,1],1]" then "Exit code:    3" (orte errmgr's help text)
const OPEN_MPI_PROCESS = /^\s*Process name:\s*\[\[\d+,\d+\],(\d+)\]/
const OPEN_MPI_EXIT = /^\s*Exit code:\s*(\d+)/
// srun: "srun: error: node07: task 1: Exited with exit code 3" (or "...: task 1: Killed")
const SRUN_TASK = /^srun: error: (\S+): tasks? ([\d,-]+): (.+)$/
// Hydra's banner: "=   PID 4691 RUNNING AT 127.0.0.3" then "=   EXIT CODE: 9"
const HYDRA_HOST = /^=\s+PID \d+ RUNNING AT (\S+)/
const HYDRA_EXIT = /^=\s+EXIT CODE: (\d+)/

/**
 * Reads a launcher's own words about the rank that failed, so a failed run can name it ("rank 1 on
 * 127.0.0.3 exited with code 3") rather than only the launcher's exit code. Open MPI names the rank,
 * whose host is known when mlps chose the mapping (`rankHosts`); srun names the node and task;
 * Hydra names the host of a rank that died badly, but says nothing of a plain non-zero exit.
 */
export class RankFailureReader {
  private rank?: number
  private host?: string
  private exitCode?: string
  private said?: string

  constructor(private readonly kind: LauncherKind, private readonly rankHosts?: readonly string[]) {}

  line(text: string): void {
    if (this.said) return
    if (this.kind === 'openmpi') {
      const process = OPEN_MPI_PROCESS.exec(text)
      if (process && this.rank === undefined) this.rank = Number(process[1])
      const exit = OPEN_MPI_EXIT.exec(text)
      if (exit && this.rank !== undefined) this.finish(`rank ${this.rank}${this.rankHosts?.[this.rank] ? ` on ${this.rankHosts[this.rank]}` : ''} exited with code ${exit[1]}`)
    } else if (this.kind === 'slurm') {
      const task = SRUN_TASK.exec(text)
      if (task) this.finish(`task ${task[2]} on ${task[1]}: ${task[3].replace(/^Exited with exit code/, 'exited with code').replace(/^Killed$/, 'killed')}`)
    } else if (this.kind === 'mpich') {
      this.host ??= HYDRA_HOST.exec(text)?.[1]
      this.exitCode ??= HYDRA_EXIT.exec(text)?.[1]
      if (this.host && this.exitCode) this.finish(`a rank on ${this.host} ended badly (exit code ${this.exitCode})`)
    }
  }

  /** what the launcher said about the failed rank, if it said anything */
  get failure(): string | undefined {
    return this.said
  }

  private finish(said: string): void {
    this.said = said
  }
}
