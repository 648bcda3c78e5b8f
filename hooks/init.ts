import {register} from 'node:module'
import {pathToFileURL} from 'node:url'
import type {Hook, Interfaces} from '@oclif/core'
import {ExitCode} from '../src/exit-codes.js'
import {rewriteLocalPluginPaths} from './local-plugin-paths.js'

let resolverRegistered = false

/**
 * Make `import 'mlps'` inside user-installed and linked plugins resolve to
 * this running CLI. Those plugins live in the data dir (or the author's
 * checkout), where Node would find no `mlps` or a second copy of it; one
 * copy means one registry, one lifecycle, and classes that are what they
 * say. Bundled plugins resolve to the same file anyway. Registered only
 * when a user or linked plugin is present or being installed, so plain
 * start-up pays nothing for it.
 */
const hook: Hook<'init'> = async function ({argv, config, id}) {
  // oclif prints its user-agent line for --version and would ignore --json
  if (id === '--version' && argv.includes('--json')) {
    process.stdout.write(JSON.stringify(versionJson(config), null, 2) + '\n')
    process.exit(ExitCode.Ok)
  }
  const badPath = rewriteLocalPluginPaths(id, argv)
  if (badPath) this.error(badPath, {exit: ExitCode.BadInput})
  if (resolverRegistered) return
  const needsResolver = config.getPluginsList().some(plugin => plugin.type === 'user' || plugin.type === 'link') ||
    (id ?? '').startsWith('plugins')
  if (!needsResolver) return
  resolverRegistered = true
  const entries = {
    mlps: pathToFileURL(`${config.root}/bundle/src/index.js`).href,
    'mlps/unstable': pathToFileURL(`${config.root}/bundle/src/unstable.js`).href,
  }
  register(new URL('./resolve-mlps.js', import.meta.url), {parentURL: import.meta.url, data: {entries}})
}

function versionJson(config: Interfaces.Config): Record<string, string> {
  return {name: config.name, version: config.version, node: process.version, platform: config.platform, arch: config.arch, userAgent: config.userAgent}
}

export default hook
