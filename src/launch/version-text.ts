import type {LauncherInfo} from './launcher.js'

/**
 * Tell the MPI family from `mpirun --version` / `mpiexec --version` / `srun --version` output.
 * Open MPI 4 prints `mpirun (Open MPI) 4.1.4` only when called as `mpirun`; as `mpiexec` or
 * `mpirun.openmpi` it prints `mpiexec (OpenRTE) 4.1.4` (launch-lab.md); IBM Spectrum MPI, an Open MPI,
 * prints `mpirun (IBM Spectrum MPI) 10.4`; MPICH, MVAPICH and other Hydra builds print `HYDRA build details:` with a `Version:`
 * line; Intel MPI prints `Intel(R) MPI Library ..., Version 2021.11` and takes Hydra's flags; Slurm
 * prints `slurm 23.02.7`. Anything else is undefined: the caller asks the user to set launcher.type.
 */
export function parseLauncherVersion(text: string): Omit<LauncherInfo, 'bin'> | undefined {
  const openMpi = /\((Open MPI|OpenRTE|IBM Spectrum MPI)\)\s+v?(\d+)(\.[\w.]+)?/i.exec(text)
  if (openMpi) {
    const spectrum = /spectrum/i.test(openMpi[1])
    const version = `${openMpi[2]}${openMpi[3] ?? ''}`
    // Spectrum MPI 10.x is built on Open MPI 4's runtime and takes its flags
    return {kind: 'openmpi', version, major: spectrum ? 4 : Number(openMpi[2]), implementation: spectrum ? 'IBM Spectrum MPI' : 'Open MPI'}
  }
  if (/HYDRA build details/i.test(text)) {
    const version = /^\s*Version:\s*(\S+)/im.exec(text)?.[1]
    const mvapich = /mvapich/i.test(text)
    return {kind: 'mpich', version, major: version ? Number.parseInt(version, 10) : undefined, implementation: mvapich ? 'MVAPICH (Hydra)' : 'MPICH (Hydra)'}
  }
  const intel = /Intel\(R\) MPI Library.*?Version\s+([\d.]+)/i.exec(text)
  if (intel) return {kind: 'mpich', version: intel[1], major: Number.parseInt(intel[1], 10), implementation: 'Intel MPI (Hydra)'}
  const slurm = /^slurm(?:-wlm)?\s+v?(\d+)([\w.-]*)/im.exec(text)
  if (slurm) return {kind: 'slurm', version: `${slurm[1]}${slurm[2]}`, major: Number(slurm[1]), implementation: 'Slurm'}
  return undefined
}
