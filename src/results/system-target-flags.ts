import {resolve} from 'node:path'
import {Flags} from '@oclif/core'
import {loadConfig, type ResolvedConfig} from '../config/load-config.js'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {systemDescriptionTarget} from './system-description.js'
import {resolveTreeIdentity} from './tree-identity.js'

/** The flags that say which system description a `mlps system` command means. */
export const systemTargetFlags = {
  'results-dir': Flags.string({description: 'root of the results tree [config: resultsDir]'}),
  'system-name': Flags.string({description: 'the system whose description it is [config: systemName]'}),
  closed: Flags.boolean({description: 'the CLOSED division\'s description [config: division]', exclusive: ['open']}),
  open: Flags.boolean({description: 'the OPEN division\'s description [config: division]', exclusive: ['closed']}),
}

export interface SystemTargetFlags {
  config?: string
  'results-dir'?: string
  'system-name'?: string
  closed: boolean
  open: boolean
  hosts?: string[]
  collector?: string
}

export async function resolveSystemTarget(flags: SystemTargetFlags) {
  const resolved: ResolvedConfig = await loadConfig({
    configFile: flags.config,
    flags: [
      {path: 'resultsDir', value: flags['results-dir'], flag: '--results-dir'},
      {path: 'systemName', value: flags['system-name'], flag: '--system-name'},
      {path: 'division', value: flags.closed ? 'closed' : flags.open ? 'open' : undefined, flag: flags.closed ? '--closed' : '--open'},
      {path: 'hosts', value: flags.hosts, flag: '--hosts'},
      {path: 'collector', value: flags.collector, flag: '--collector'},
    ],
  })
  resolved.config.resultsDir = resolve(resolved.config.resultsDir)
  const identity = await resolveTreeIdentity(resolved)
  resolved.config.organization = identity.organization
  resolved.config.systemName = identity.systemName
  return {resolved, target: systemDescriptionTarget(resolved.config, resolved.config.division)}
}

export function missingDescription(file: string): MlpsError {
  return new MlpsError('no system description here', {
    where: file, exitCode: ExitCode.BadInput,
    fix: 'run a benchmark for this system (its first run writes the description), or name the right one with --results-dir, --system-name and --closed/--open',
  })
}
