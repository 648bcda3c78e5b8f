import {resolve} from 'node:path'
import {Flags} from '@oclif/core'
import {MlpsCommand} from '../../command/mlps-command.js'
import {loadConfig} from '../../config/load-config.js'
import {ExitCode} from '../../exit-codes.js'
import {readHostfile} from '../../hosts/hostfile.js'
import {parseHosts} from '../../hosts/parse-hosts.js'
import {type LockDifference, renderDifference} from '../../lockfile/compare-lock.js'
import {runLockfileChecks} from '../../lockfile/lockfile-checks.js'
import {DEFAULT_LOCKFILE} from '../../lockfile/lockfile-schema.js'
import {readLockfile} from '../../lockfile/read-lockfile.js'
import {verifyAgainstLock} from '../../lockfile/verify-lock.js'
import {getRegistry} from '../../registry/load-registry.js'

export interface LockfileVerifyResult {
  file: string
  same: boolean
  exitCode: number
  hosts: string[]
  differences: LockDifference[]
}

export default class LockfileVerify extends MlpsCommand {
  static summary = 'Compare the hosts\' versions with mlps-lock.json and list every difference'
  static description = 'Reads the same versions `mlps lockfile generate` records, on the hosts the lockfile names (or --hosts), and lists every package, plugin, interpreter or MPI that differs, is missing or was added. Exit 0 when all match, 3 when anything differs.'
  static examples = [
    '<%= config.bin %> lockfile verify',
    '<%= config.bin %> lockfile verify --lockfile /mnt/shared/mlps-lock.json --hosts node[01-16] --collector ssh',
  ]

  static flags = {
    lockfile: Flags.string({char: 'l', description: 'the lockfile to compare with', default: DEFAULT_LOCKFILE}),
    hosts: Flags.string({description: 'hosts to compare (default: the hosts the lockfile names)', multiple: true}),
    hostfile: Flags.string({description: 'hosts from a file', exclusive: ['hosts']}),
    collector: Flags.string({description: 'how other hosts are reached [config: collector]', options: ['local', 'mpi', 'ssh', 'none']}),
  }

  async run(): Promise<LockfileVerifyResult> {
    const {flags} = await this.parse(LockfileVerify)
    const file = resolve(flags.lockfile)
    const lock = await readLockfile(file)
    const resolved = await loadConfig({
      configFile: flags.config,
      flags: [{path: 'hosts', value: flags.hosts ?? Object.keys(lock.hosts), flag: '--hosts'}, {path: 'collector', value: flags.collector, flag: '--collector'}],
    })
    const {config} = resolved
    config.resultsDir = resolve(config.resultsDir)
    const registry = await getRegistry(this.config)
    const hosts = flags.hostfile ? await readHostfile(flags.hostfile) : parseHosts(config.hosts, flags.hosts ? '--hosts' : file)
    const rows = await runLockfileChecks(this.config, registry, hosts, config, this.jsonEnabled())
    const differences = verifyAgainstLock(lock, rows, hosts.map(h => h.name), false)
    const same = differences.length === 0
    const exitCode = same ? ExitCode.Ok : ExitCode.EnvironmentNotReady
    process.exitCode = exitCode
    if (!this.jsonEnabled()) {
      this.say(same ? `${hosts.length} host(s) match ${file}` : `${differences.length} difference(s) from ${file}:`)
      for (const difference of differences) this.say(`  ${renderDifference(difference)}`)
      if (!same) this.say('fix: install the recorded versions on those hosts, or record this environment with `mlps lockfile generate`')
    }
    return {file, same, exitCode, hosts: hosts.map(h => h.name), differences}
  }
}
