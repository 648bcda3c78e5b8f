// Build everything a fresh clone needs to run `mlps`: compile the core and
// every workspace plugin (tsc project references), then write each package's
// oclif manifest so start-up reads one JSON file instead of importing every
// command module.
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'

const root = new URL('..', import.meta.url).pathname
const plugins = readdirSync(join(root, 'plugins'), {withFileTypes: true})
  .filter(entry => entry.isDirectory() && existsSync(join(root, 'plugins', entry.name, 'package.json')))
  .map(entry => join('plugins', entry.name))
const run = (command, args, cwd = root) => {
  try {
    execFileSync(command, args, {cwd, stdio: 'inherit', env: {...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true'}})
  } catch {
    console.error(`build failed: ${command} ${args.join(' ')} (in ${cwd})`)
    process.exit(1)
  }
}
const bin = name => join(root, 'node_modules', '.bin', name)

run(bin('tsc'), ['-b', 'tsconfig.json', ...plugins.map(plugin => join(plugin, 'tsconfig.json'))])
for (const dir of ['.', ...plugins]) run(bin('oclif'), ['manifest'], join(root, dir))
