import {existsSync} from 'node:fs'
import {homedir} from 'node:os'
import {resolve} from 'node:path'

const INSTALL_COMMANDS = new Set(['plugins:install', 'plugins:add'])
/** what a person types for a file on disk, as opposed to an npm name or a GitHub owner/repo */
const LOOKS_LOCAL = /^(\.{1,2}\/|\/|~\/)|\.(tgz|tar\.gz)$/

/**
 * `mlps plugins install ./x.tgz` (or a folder) means the file on disk; the
 * plugins command would take `./x.tgz` for a GitHub owner/repo and fail
 * after a long clone attempt. Such arguments become `file:<absolute path>`,
 * which npm installs; one that names nothing on disk is an error at once.
 * Returns the message of that error, or undefined.
 */
export function rewriteLocalPluginPaths(id: string | undefined, argv: string[]): string | undefined {
  if (!id || !INSTALL_COMMANDS.has(id)) return undefined
  for (const [index, argument] of argv.entries()) {
    if (argument.startsWith('-') || argument.startsWith('file:') || !LOOKS_LOCAL.test(argument)) continue
    const path = resolve(argument.startsWith('~/') ? `${homedir()}${argument.slice(1)}` : argument)
    if (!existsSync(path)) {
      return `${argument}: no such file or folder. fix: give the path of the plugin's packed tarball (npm pack) or of its folder, or an npm package name`
    }
    argv[index] = `file:${path}`
  }
  return undefined
}
