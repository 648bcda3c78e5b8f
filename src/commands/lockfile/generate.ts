import {hostname} from 'node:os'
import {resolve} from 'node:path'
import {Flags} from '@oclif/core'
import {MlpsCommand} from '../../command/mlps-command.js'
import {loadConfig} from '../../config/load-config.js'
import {MlpsError} from '../../errors.js'
import {ExitCode} from '../../exit-codes.js'
import {resolveHosts} from '../../hosts/resolve-hosts.js'
import {versionsByHost} from '../../lockfile/lock-versions.js'
import {runLockfileChecks} from '../../lockfile/lockfile-checks.js'
import {DEFAULT_LOCKFILE, LOCKFILE_FORMAT, type Lockfile} from '../../lockfile/lockfile-schema.js'
import {getRegistry} from '../../registry/load-registry.js'
import {writeJsonAtomic} from '../../results/atomic-write.js'

export interface LockfileGenerateResult {
  file: string
  lockfile: Lockfile
}

export default class LockfileGenerate extends MlpsCommand {
  static summary = 'Record, per host, the versions that shape results in mlps-lock.json'
  static description = 'mlps and its plugins, Node.js, the MPI implementation, and each Python engine\'s interpreter and packages (read with the Python that engine uses), on every host. `mlps lockfile verify` and `--verify-lockfile` compare hosts against it.'
  static examples = [
    '<%= config.bin %> lockfile generate',
    '<%= config.bin %> lockfile generate --hosts node[01-04] --collector ssh --output /mnt/shared/mlps-lock.json',
  ]

  static flags = {
    output: Flags.string({char: 'o', description: 'where to write the lockfile', default: DEFAULT_LOCKFILE}),
    hosts: Flags.string({description: 'hosts to record, e.g. node[01-04] [config: hosts]', multiple: true}),
    hostfile: Flags.string({description: 'hosts from a file', exclusive: ['hosts']}),
    collector: Flags.string({description: 'how other hosts are reached [config: collector]', options: ['local', 'mpi', 'ssh', 'none']}),
  }

  async run(): Promise<LockfileGenerateResult> {
    const {flags} = await this.parse(LockfileGenerate)
    const resolved = await loadConfig({
      configFile: flags.config,
      flags: [{path: 'hosts', value: flags.hosts, flag: '--hosts'}, {path: 'collector', value: flags.collector, flag: '--collector'}],
    })
    const {config} = resolved
    config.resultsDir = resolve(config.resultsDir)
    const registry = await getRegistry(this.config)
    const hosts = await resolveHosts(resolved, flags.hostfile)
    const rows = await runLockfileChecks(this.config, registry, hosts, config, this.jsonEnabled())
    const unreachable = rows.filter(row => row.check === 'ssh.reachable' && row.status !== 'ok')
    if (unreachable.length > 0) {
      throw new MlpsError(`cannot record ${unreachable.map(row => row.host).join(', ')}: ${unreachable.map(row => row.detail).join('; ')}`, {
        exitCode: ExitCode.EnvironmentNotReady, fix: unreachable[0].fix ?? 'make every host reachable, or leave it out of --hosts',
      })
    }
    const lockfile: Lockfile = {
      format: LOCKFILE_FORMAT, generatedAt: new Date().toISOString(), generatedBy: {mlps: this.config.version, host: hostname()}, hosts: versionsByHost(rows),
    }
    const file = resolve(flags.output)
    await writeJsonAtomic(file, lockfile)
    if (!this.jsonEnabled()) {
      for (const [host, sources] of Object.entries(lockfile.hosts)) {
        this.say(`${host}: ${Object.entries(sources).map(([source, versions]) => `${source} (${Object.keys(versions).length})`).join(', ')}`)
      }
      for (const row of rows.filter(r => r.status === 'skip' && !r.versions)) this.say(`  not recorded: ${row.check} on ${row.host}: ${row.detail}`)
      this.say(`wrote ${file}`)
    }
    return {file, lockfile}
  }
}
