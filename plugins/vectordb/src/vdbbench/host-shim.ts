/**
 * What each MPI rank (one per host) runs first: `python -c HOST_SHIM <host table>`. The launcher
 * starts the same argv everywhere, so the rank reads its number from the launcher's environment
 * (OMPI_COMM_WORLD_RANK, PMI_RANK, PMIX_RANK, SLURM_PROCID, as the KV-cache plugin's shim does),
 * takes its host's vdbbench argv from the table mlps wrote (the argv the dry run prints), makes the
 * host's folder, points stdout and stderr at the host's logs there and replaces itself with
 * vdbbench. No shell; the table is data. The table and the folders sit in the run leaf, so the
 * results directory must be on a file system every host mounts (as for the other MPI benchmarks).
 */
export const HOST_SHIM = [
  'import json, os, sys',
  "rank = int(next((os.environ[v] for v in ('OMPI_COMM_WORLD_RANK', 'PMI_RANK', 'PMIX_RANK', 'SLURM_PROCID') if os.environ.get(v)), '0'))",
  "entry = json.load(open(sys.argv[1]))['hosts'][rank]",
  "os.makedirs(entry['outputDir'], exist_ok=True)",
  "os.chdir(entry['outputDir'])",
  "out = os.open(entry['stdout'], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)",
  "err = os.open(entry['stderr'], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)",
  'os.dup2(out, 1)',
  'os.dup2(err, 2)',
  "os.execvp(entry['argv'][0], entry['argv'])",
].join('\n')
