/**
 * What every MPI rank runs first: `python -c RANK_SHIM <rank table>`. An MPI launcher starts the same
 * argv on every rank, so the rank reads its number from the launcher's environment (as
 * mlperf_wrapper.py does: OMPI_COMM_WORLD_RANK, PMI_RANK; also PMIX_RANK and SLURM_PROCID), takes its
 * own argv from the table mlps wrote (the same per-rank argv the dry run prints), makes its folders
 * and replaces itself with kv-cache.py. No shell; the table is data.
 */
export const RANK_SHIM = [
  'import json, os, sys',
  "rank = int(next((os.environ[v] for v in ('OMPI_COMM_WORLD_RANK', 'PMI_RANK', 'PMIX_RANK', 'SLURM_PROCID') if os.environ.get(v)), '0'))",
  "entry = json.load(open(sys.argv[1]))['ranks'][rank]",
  "os.makedirs(entry['outputDir'], exist_ok=True)",
  "os.makedirs(entry['cacheDir'], exist_ok=True)",
  "os.execvp(entry['argv'][0], entry['argv'])",
].join('\n')
