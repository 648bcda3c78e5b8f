import {type ChildProcess, execFileSync, spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {chmodSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import net from 'node:net'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {setTimeout as delay} from 'node:timers/promises'
import {SshLab} from '../cluster/ssh-lab.js'
import {tempDir} from '../helpers/cli.js'
import {findProgram} from './lab-requirements.js'
import {slurmConf} from './slurm-conf.js'

/** The three SSH hosts, and the names ~/.ssh/config gives them in the lab's home. */
export const LAB_HOSTS = ['127.0.0.2', '127.0.0.3', '127.0.0.4'] as const
export const LAB_ALIASES = ['node01', 'node02', 'node03'] as const
/** CPUs the Slurm node offers */
export const SLURM_CPUS = 4
/** set on every daemon the lab starts, so teardown finds what they left (slurmstepd, tasks) by pid */
const MARKER = 'MLPS_LAUNCH_LAB'

/**
 * The launch lab (launch-lab.md): a single-node Slurm (its own munged, slurmctld and slurmd), and three
 * OpenSSH servers on 127.0.0.2–4 that MPI (Open MPI's orted, MPICH's Hydra proxies) and mlps's SSH
 * collector reach as three hosts. Everything it writes is in `dir` (except /run/sshd, sshd's
 * privilege-separation folder, which the package's service would create); it is stopped by pid.
 */
export class LaunchLab {
  readonly node = hostname().split('.')[0]
  readonly slurmConf: string
  readonly mungeSocket: string
  /** an OpenSSH client config for the three hosts (and their aliases), as `ssh -F` reads it */
  readonly sshConfig: string
  /** `ssh -F <sshConfig> "$@"`: the rsh agent Open MPI and Hydra are given */
  readonly sshWrap: string
  /** a HOME whose ~/.ssh/config is `sshConfig`: mlps's SSH collector reads it from there */
  readonly home: string
  private readonly daemons: ChildProcess[] = []

  private constructor(readonly dir: string, readonly ssh: SshLab) {
    this.slurmConf = join(dir, 'slurm', 'slurm.conf')
    this.mungeSocket = join(dir, 'munge', 'munge.socket')
    this.sshConfig = join(dir, 'ssh_config')
    this.sshWrap = join(dir, 'ssh-wrap')
    this.home = join(dir, 'home')
  }

  static async start(): Promise<LaunchLab> {
    const dir = tempDir('mlps-launch-lab-')
    // munged wants every folder above its socket searchable by all
    chmodSync(dir, 0o711)
    const ssh = await SshLab.create(LAB_HOSTS.length, join(dir, 'sshd'))
    const lab = new LaunchLab(dir, ssh)
    try {
      await lab.startHosts()
      await lab.startMunge()
      await lab.startSlurm()
    } catch (error) {
      await lab.stop()
      throw error
    }
    return lab
  }

  /** What a run in the lab needs: Slurm's config, and the rsh agent of Open MPI and of MPICH's Hydra. */
  env(): Record<string, string> {
    return {SLURM_CONF: this.slurmConf, OMPI_MCA_plm_rsh_agent: this.sshWrap, HYDRA_LAUNCHER: 'ssh', HYDRA_LAUNCHER_EXEC: this.sshWrap}
  }

  /** Slurm's view, for a failure message: the node's state and every job not yet gone. */
  slurmState(): string {
    const env = {SLURM_CONF: this.slurmConf}
    return `node ${ask('sinfo', ['-h', '-o', '%t'], env).trim() || 'unknown'}; jobs: ${ask('squeue', ['-h', '-o', '%i %T %R %j'], env).trim().replaceAll('\n', ', ') || 'none'}`
  }

  /**
   * Until the node runs no job: one that just ended can still be completing (its epilog, its steps' cleanup)
   * and hold the CPUs a test's srun asks for, which then waits in the queue.
   */
  async slurmIdle(timeoutMs = 60_000): Promise<void> {
    const env = {SLURM_CONF: this.slurmConf}
    const start = Date.now()
    while (ask('squeue', ['-h', '-o', '%i'], env).trim() !== '' || ask('sinfo', ['-h', '-o', '%t'], env).trim() !== 'idle') {
      if (Date.now() - start > timeoutMs) throw new Error(`the lab's Slurm node is still busy after ${timeoutMs / 1000} s: ${this.slurmState()}`)
      await delay(200)
    }
  }

  /** The `ssh` section of an mlps config that reaches the lab's hosts. */
  sshSettings(): Record<string, unknown> {
    return {port: this.ssh.port, user: 'root', identityFile: this.ssh.userKey, knownHostsFile: this.ssh.knownHostsFile, connectTimeoutSeconds: 5}
  }

  /**
   * Every process still running that the lab or a client of it started, found by the marker or by the
   * lab's SLURM_CONF: slurmd clears the marker from slurmstepd's environment but keeps SLURM_CONF.
   */
  leftovers(): number[] {
    const markers = [Buffer.from(`${MARKER}=${this.dir}\0`), Buffer.from(`SLURM_CONF=${this.slurmConf}\0`)]
    const pids: number[] = []
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
      try {
        const environ = readFileSync(`/proc/${entry}/environ`)
        if (markers.some(marker => environ.includes(marker))) pids.push(Number(entry))
      } catch {}
    }
    return pids
  }

  /** The pids to stop when the test process ends without a chance to await `stop()`. */
  pids(): number[] {
    return [...this.daemons.filter(running).map(daemon => daemon.pid!), ...this.ssh.pids(), ...this.leftovers()]
  }

  async stop(): Promise<void> {
    const exited = this.daemons.filter(running).map(daemon => new Promise(resolve => daemon.once('exit', resolve)))
    for (const daemon of [...this.daemons].reverse()) daemon.kill('SIGTERM')
    await Promise.race([Promise.all(exited), delay(10_000)])
    for (const pid of [...this.daemons.filter(running).map(daemon => daemon.pid!), ...this.leftovers()]) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {}
    }
    await this.ssh.stop()
    rmSync(this.dir, {recursive: true, force: true})
  }

  private async startHosts(): Promise<void> {
    await Promise.all(LAB_HOSTS.map(address => this.ssh.startSshd(address)))
    writeFileSync(this.ssh.knownHostsFile, this.ssh.knownHostsLines(LAB_HOSTS.map(address => ({address, hostKey: this.ssh.hostKey(address)}))))
    const aliases = LAB_ALIASES.map((alias, i) => `Host ${alias}\n  HostName ${LAB_HOSTS[i]}\n`).join('')
    writeFileSync(this.sshConfig, `${aliases}Host *\n  Port ${this.ssh.port}\n  User root\n  IdentityFile ${this.ssh.userKey}\n  IdentitiesOnly yes\n` +
      `  UserKnownHostsFile ${this.ssh.knownHostsFile}\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n  BatchMode yes\n  LogLevel ERROR\n`)
    writeFileSync(this.sshWrap, `#!/bin/sh\nexec ssh -F ${this.sshConfig} "$@"\n`, {mode: 0o755})
    mkdirSync(join(this.home, '.ssh'), {recursive: true, mode: 0o700})
    writeFileSync(join(this.home, '.ssh', 'config'), readFileSync(this.sshConfig))
    // what every host sees: OpenSSH connects to each one
    for (const address of LAB_HOSTS) execFileSync(this.sshWrap, [address, 'true'], {stdio: 'ignore', timeout: 15_000})
  }

  private async startMunge(): Promise<void> {
    const folder = join(this.dir, 'munge')
    mkdirSync(folder, {mode: 0o711})
    const key = join(folder, 'munge.key')
    writeFileSync(key, randomBytes(128), {mode: 0o600})
    this.daemon('munged', ['-F', `--socket=${this.mungeSocket}`, `--key-file=${key}`, `--log-file=${join(folder, 'munged.log')}`,
      `--pid-file=${join(folder, 'munged.pid')}`, `--seed-file=${join(folder, 'munged.seed')}`], join(folder, 'munged.out'))
    await until('munged', () => {
      try {
        execFileSync(findProgram('munge')!, ['-n', '-S', this.mungeSocket], {stdio: 'ignore'})
        return true
      } catch {
        return false
      }
    })
  }

  private async startSlurm(): Promise<void> {
    const folder = join(this.dir, 'slurm')
    mkdirSync(join(folder, 'state'), {recursive: true})
    mkdirSync(join(folder, 'spool'), {recursive: true})
    const [controllerPort, nodePort] = await freePorts(2)
    writeFileSync(this.slurmConf, slurmConf({dir: folder, node: this.node, mungeSocket: this.mungeSocket, controllerPort, nodePort, cpus: SLURM_CPUS}))
    const env = {SLURM_CONF: this.slurmConf}
    this.daemon('slurmctld', ['-D', '-f', this.slurmConf], join(folder, 'slurmctld.out'))
    await until('slurmctld', () => ask('scontrol', ['ping'], env).includes('UP'), () => readFileSync(join(folder, 'slurmctld.out'), 'utf8'))
    this.daemon('slurmd', ['-D', '-f', this.slurmConf], join(folder, 'slurmd.out'))
    await until('slurmd', () => ask('sinfo', ['-h', '-o', '%t'], env).trim() === 'idle', () => readFileSync(join(folder, 'slurmd.out'), 'utf8'))
  }

  private daemon(name: string, args: string[], output: string): void {
    const fd = openSync(output, 'a')
    const child = spawn(findProgram(name)!, args, {stdio: ['ignore', fd, fd], env: {...process.env, [MARKER]: this.dir, SLURM_CONF: this.slurmConf}})
    closeSync(fd)
    this.daemons.push(child)
  }
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && child.pid !== undefined
}

function ask(program: string, args: string[], env: Record<string, string>): string {
  try {
    return execFileSync(findProgram(program)!, args, {env: {...process.env, ...env}, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000})
  } catch {
    return ''
  }
}

async function until(what: string, ready: () => boolean, log?: () => string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (ready()) return
    await delay(50)
  }
  throw new Error(`${what} did not come up within 15 s${log ? `:\n${log()}` : ''}`)
}

function freePorts(count: number): Promise<number[]> {
  return Promise.all(Array.from({length: count}, () => new Promise<number>((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const {port} = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })))
}
