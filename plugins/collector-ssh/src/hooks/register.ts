import type {CollectorDefinition, PluginContribution} from 'mlps'

/** ssh2 and the collector load only when a collection runs, not on every command. */
const sshCollector: CollectorDefinition = {
  name: 'ssh',
  description: 'Collect host facts over SSH (ssh2): one connection and one round trip per host, host keys checked against known_hosts',
  async snapshot(request) {
    const {sshSnapshot} = await import('../ssh-snapshot.js')
    return sshSnapshot(request)
  },
  async startSampler(request) {
    const {startSshSampler} = await import('../ssh-sampler.js')
    return startSshSampler(request)
  },
}

export default async function register(): Promise<PluginContribution> {
  return {apiVersion: 1, collectors: [sshCollector]}
}
