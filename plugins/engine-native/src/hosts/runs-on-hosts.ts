import type {RunContext} from 'mlps'
import {isLocalHost} from 'mlps/unstable'
import type {NativeOptions} from '../native-options.js'

/**
 * Whether a run's ranks go to host workers (through the launcher or SSH) rather than threads of this
 * process: always when asked (engines.native.launch), else as soon as a host is not this one or
 * there are several.
 */
export function runsOnHosts(ctx: RunContext): boolean {
  const launch = (ctx.engineOptions as Partial<NativeOptions>).launch ?? 'auto'
  return launch !== 'auto' || ctx.hosts.length > 1 || ctx.hosts.some(host => !isLocalHost(host.name))
}
