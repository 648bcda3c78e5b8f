// Bundle a compiled workspace package (its tsc output in dist/) into bundle/, the
// files its package.json points at. Start-up is dominated by module loading:
// `mlps training datasize` opened 784 module files before bundling. Each
// package keeps its own bundle (plugins stay installable one by one); code
// shared between a package's entry points goes to chunks, so a module runs
// once per process.
import {existsSync, readFileSync, readdirSync, rmSync, statSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {build} from 'esbuild'

/**
 * Imports that stay imports. `@oclif/core`, `mlps` and the workspace packages
 * must be one instance per process (their classes, registry and settings are
 * shared); tsx and cosmiconfig are loaded on demand and cosmiconfig's CommonJS
 * exports do not survive bundling; ssh2 and the vector store load native
 * addons from their own folders; the AWS SDK is imported only by runs on a
 * bucket, and its CommonJS named exports do not survive a bundled import().
 */
const EXTERNAL = ['@oclif/*', 'mlps', 'mlps/*', '@mlps/*', 'tsx', 'tsx/*', 'cosmiconfig', 'ssh2', 'cpu-features', '@lancedb/*', 'apache-arrow', '@aws-sdk/*']

const jsFilesIn = dir => readdirSync(dir).flatMap(name => {
  const path = join(dir, name)
  return statSync(path).isDirectory() ? jsFilesIn(path) : path.endsWith('.js') ? [path] : []
})

/** package.json's ./bundle/... paths, as the dist/ files tsc wrote for them */
function entryPoints(packageDir) {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'))
  const compiled = path => join(packageDir, path.replace(/^\.\/bundle\//, 'dist/'))
  const entries = new Set()
  const hooks = Object.values(manifest.oclif?.hooks ?? {}).flat()
  // a hook folder's modules are all entries: init registers its resolver by file URL
  for (const hook of hooks) for (const file of jsFilesIn(dirname(compiled(hook)))) entries.add(file)
  if (manifest.oclif?.commands && existsSync(compiled(manifest.oclif.commands))) for (const file of jsFilesIn(compiled(manifest.oclif.commands))) entries.add(file)
  for (const target of Object.values(manifest.exports ?? {})) {
    if (typeof target === 'object' && target.default?.startsWith('./bundle/')) entries.add(compiled(target.default))
  }
  return [...entries]
}

export async function bundlePackage(packageDir) {
  const outdir = join(packageDir, 'bundle')
  rmSync(outdir, {recursive: true, force: true})
  const entries = entryPoints(packageDir)
  const missing = entries.filter(entry => !existsSync(entry))
  if (missing.length > 0) throw new Error(`${packageDir}: no compiled ${missing.join(', ')} to bundle`)
  await build({
    entryPoints: entries,
    outbase: join(packageDir, 'dist'),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    // bundled CommonJS dependencies call require(); ESM output has none of its own
    banner: {js: "import {createRequire as __mlpsCreateRequire} from 'node:module'; const require = __mlpsCreateRequire(import.meta.url);"},
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    logLevel: 'warning',
  })
}
