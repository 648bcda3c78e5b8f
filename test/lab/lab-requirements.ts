import {accessSync, constants} from 'node:fs'
import {delimiter, join} from 'node:path'

/** Each program the lab runs, and the Debian package that brings it. */
const PROGRAMS: Array<[string, string]> = [
  ['munged', 'munge'], ['munge', 'munge'], ['slurmctld', 'slurmctld'], ['slurmd', 'slurmd'], ['srun', 'slurm-client'], ['salloc', 'slurm-client'],
  ['scontrol', 'slurm-client'], ['sinfo', 'slurm-client'], ['mpiexec.mpich', 'mpich'], ['mpirun', 'openmpi-bin'], ['sshd', 'openssh-server'],
  ['ssh', 'openssh-client'], ['ssh-keygen', 'openssh-client'],
]

// sbin is not on every PATH (a non-login root shell); the daemons live there
const SEARCH = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'].filter(Boolean)

export function findProgram(name: string): string | undefined {
  for (const dir of SEARCH) {
    try {
      accessSync(join(dir, name), constants.X_OK)
      return join(dir, name)
    } catch {}
  }
  return undefined
}

/** What keeps the lab from starting here: not root, or programs not installed (with their packages). */
export function labObstacles(): string[] {
  const obstacles: string[] = []
  if (process.getuid?.() !== 0) obstacles.push('the lab runs daemons as root')
  const missing = PROGRAMS.filter(([name]) => !findProgram(name))
  if (missing.length > 0) {
    const packages = [...new Set(missing.map(([, pkg]) => pkg))]
    obstacles.push(`${missing.map(([name]) => name).join(', ')} not installed (apt-get install ${packages.join(' ')})`)
  }
  return obstacles
}
