#!/usr/bin/env node
// `mlps --version` is asked of every host by `mlps doctor` and by scripts: answer it
// before oclif loads (about 110 modules), in the words oclif would use
if (process.argv.length === 3 && process.argv[2] === '--version') {
  const {readFileSync} = await import('node:fs')
  const {name, version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`${name}/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  const {execute, settings} = await import('@oclif/core')
  // plugins run from their compiled output (linked ones included): no TypeScript lookup, so no
  // "linked ESM module cannot be auto-transpiled" warning on every command of a plugin author
  settings.enableAutoTranspile = false
  await execute({dir: import.meta.url})
}
