// Build everything a fresh clone needs to run `mlps`: compile the core, the
// workspace libraries and every workspace plugin (tsc project references),
// bundle each package's compiled output (scripts/bundle.mjs), then write each
// plugin's oclif manifest so start-up reads one JSON file instead of importing
// every command module.
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {bundlePackage} from './bundle.mjs'

const root = new URL('..', import.meta.url).pathname
const workspacesIn = folder => readdirSync(join(root, folder), {withFileTypes: true})
  .filter(entry => entry.isDirectory() && existsSync(join(root, folder, entry.name, 'package.json')))
  .map(entry => join(folder, entry.name))
const plugins = workspacesIn('plugins')
// engine-native runs from its tsc output: it starts its worker threads by the
// file path of the module that starts them, which a bundle's chunks do not keep
const UNBUNDLED = new Set(['plugins/engine-native'])
/** libraries the plugins share: compiled with them, but no oclif manifest */
const libraries = workspacesIn('lib')
const run = (command, args, cwd = root) => {
  try {
    execFileSync(command, args, {cwd, stdio: 'inherit', env: {...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true'}})
  } catch {
    console.error(`build failed: ${command} ${args.join(' ')} (in ${cwd})`)
    process.exit(1)
  }
}
const bin = name => join(root, 'node_modules', '.bin', name)

/**
 * tsc -b never deletes the output of a source file that was removed, and
 * oclif would still find such a command in dist/; remove those orphans.
 */
function removeOrphans(distDir, srcDir) {
  if (!existsSync(distDir)) return
  for (const entry of readdirSync(distDir, {withFileTypes: true})) {
    const path = join(distDir, entry.name)
    if (entry.isDirectory()) {
      removeOrphans(path, join(srcDir, entry.name))
      continue
    }
    const stem = entry.name.replace(/\.(js|d\.ts)(\.map)?$/, '')
    if (stem !== entry.name && !existsSync(join(srcDir, `${stem}.ts`))) rmSync(path)
  }
}

removeOrphans(join(root, 'dist', 'src'), join(root, 'src'))
removeOrphans(join(root, 'dist', 'hooks'), join(root, 'hooks'))
for (const workspace of [...plugins, ...libraries]) removeOrphans(join(root, workspace, 'dist'), join(root, workspace, 'src'))

run(bin('tsc'), ['-b', 'tsconfig.json', ...[...libraries, ...plugins].map(workspace => join(workspace, 'tsconfig.json'))])
for (const workspace of ['.', ...libraries, ...plugins].filter(workspace => !UNBUNDLED.has(workspace))) {
  try {
    await bundlePackage(join(root, workspace))
  } catch (error) {
    console.error(`build failed: bundling ${workspace}: ${error.message}`)
    process.exit(1)
  }
}
for (const dir of ['.', ...plugins]) run(bin('oclif'), ['manifest'], join(root, dir))
