import type {OsFamily, OsInfo} from './os-detect.js'

/** A system package by package manager; families left out have no known package. */
export type SystemPackages = Partial<Record<Exclude<OsFamily, 'unknown'>, string>>

const INSTALLER: Record<Exclude<OsFamily, 'unknown'>, string> = {
  debian: 'apt-get install -y',
  rhel: 'dnf install -y',
  fedora: 'dnf install -y',
  suse: 'zypper install -y',
  arch: 'pacman -S --noconfirm',
  macos: 'brew install',
}

/** Well-known system packages the core and first-party plugins ask for (mlpstorage-spec.md §10.2). */
export const SYSTEM_PACKAGES = {
  openmpi: {debian: 'openmpi-bin libopenmpi-dev', rhel: 'openmpi openmpi-devel', fedora: 'openmpi openmpi-devel', suse: 'openmpi4 openmpi4-devel', arch: 'openmpi', macos: 'open-mpi'},
  sshClient: {debian: 'openssh-client', rhel: 'openssh-clients', fedora: 'openssh-clients', suse: 'openssh-clients', arch: 'openssh'},
  python3: {debian: 'python3 python3-venv python3-pip', rhel: 'python3 python3-pip', fedora: 'python3 python3-pip', suse: 'python3 python3-pip', arch: 'python python-pip', macos: 'python'},
  nodejs: {debian: 'nodejs', rhel: 'nodejs', fedora: 'nodejs', suse: 'nodejs20', arch: 'nodejs', macos: 'node@20'},
} as const satisfies Record<string, SystemPackages>

/**
 * The command that installs `packages` on this OS, e.g. `apt-get install -y openmpi-bin libopenmpi-dev`;
 * undefined when the OS or its package is unknown (the caller then names the software instead).
 */
export function installCommand(os: OsInfo, packages: SystemPackages): string | undefined {
  if (os.family === 'unknown') return undefined
  const names = packages[os.family]
  return names ? `${INSTALLER[os.family]} ${names}` : undefined
}

/** `installCommand`, or a sentence naming the software when this OS has no known package. */
export function installHint(os: OsInfo, packages: SystemPackages, software: string): string {
  return installCommand(os, packages) ?? `install ${software} with ${os.prettyName ?? 'this system'}'s package manager`
}

/** A POSIX-shell word: what a user can paste, whatever the characters. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll('\'', '\'\\\'\'')}'`
}

/** `<python> -m pip install <specs>`, each spec quoted for the shell when it needs it. */
export function pipInstallCommand(python: string | readonly string[], specs: readonly string[]): string {
  return [...(typeof python === 'string' ? [python] : python), '-m', 'pip', 'install', ...specs].map(shellWord).join(' ')
}
