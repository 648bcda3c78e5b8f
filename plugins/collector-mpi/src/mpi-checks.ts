import type {CheckContext, CheckResult, PreflightCheck} from 'mlps'

/**
 * Outside a Slurm allocation every srun is a job of its own: the sampler's job would hold CPUs the
 * engine's job then waits for (for ever, on a full node), or sample nodes the engine does not run on.
 * Inside an allocation the sampler's steps share it (`--overlap`), so only that case is refused, before
 * anything starts.
 */
export const samplerAllocationCheck: PreflightCheck = {
  id: 'mpi.sampler.allocation',
  title: 'the MPI collector\'s sampler can share the Slurm allocation',
  runsOn: 'controller',
  appliesTo: (ctx: CheckContext) => ctx.mode === 'run' && ctx.config.collector === 'mpi' && ctx.config.launcher.type === 'srun',
  async run(): Promise<CheckResult> {
    if (process.env.SLURM_JOB_ID) return {status: 'ok', detail: `the sampler runs as steps of job ${process.env.SLURM_JOB_ID}, sharing its CPUs (--overlap)`}
    return {
      status: 'fail',
      detail: 'with launcher srun outside a Slurm allocation the MPI sampler would be a job of its own, holding CPUs the benchmark\'s job would wait for',
      fix: 'run mlps inside an allocation (salloc -N <nodes> mlps ..., or an sbatch script), or collect with --collector ssh or local',
    }
  },
}
