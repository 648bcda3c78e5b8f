#!/usr/bin/env node
// `mlps --version` is asked of every host by `mlps doctor` and by scripts: answer it
// before oclif loads (about 110 modules), in the words oclif would use
if (process.argv.length === 3 && process.argv[2] === '--version') {
  const {readFileSync} = await import('node:fs')
  const {name, version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`${name}/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  // SIGINT/SIGTERM before a command takes them (oclif's loading takes seconds under load) are kept for it,
  // so that they end it as an interrupted invocation, recorded, instead of killing mlps half-way
  // (src/command/stop-signals.ts reads this object)
  const stopSignals = {received: []}
  stopSignals.listener = signal => {
    if (stopSignals.handler) stopSignals.handler(signal)
    else stopSignals.received.push(signal)
  }
  globalThis[Symbol.for('mlps.stopSignals')] = stopSignals
  process.on('SIGINT', stopSignals.listener)
  process.on('SIGTERM', stopSignals.listener)
  const {execute, settings} = await import('@oclif/core')
  // plugins run from their compiled output (linked ones included): no TypeScript lookup, so no
  // "linked ESM module cannot be auto-transpiled" warning on every command of a plugin author
  settings.enableAutoTranspile = false
  await execute({dir: import.meta.url})
  // a signal that no command took (help): mlps ends as the signal asked
  if (stopSignals.received.length > 0 && !stopSignals.handler) process.exit(stopSignals.received[0] === 'SIGTERM' ? 143 : 130)
}
