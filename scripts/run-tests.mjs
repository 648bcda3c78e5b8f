// The whole mocha suite as `npm test` runs it: two mocha processes at once (scripts/test-shards.mjs), one for
// the tests that start the launch lab, the SSH lab or the real engines, one for the rest. Either alone leaves
// a core idle much of the time (waiting on sshd, mpirun, DLIO, the CLI's start-up); the labs pick free ports
// and the tests count only processes they marked, so the halves do not see each other. Each half is a mocha
// run of its own (its root hooks, its lab started once); then one summary of both.
//   MLPS_TEST_JOBS=1 npm test   runs everything in one mocha, as `npx mocha` would
import {spawn} from 'node:child_process'
import {availableParallelism} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {combine, readSource, shards, testFiles} from './test-shards.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const mochaBin = join(root, 'node_modules', 'mocha', 'bin', 'mocha.js')
const children = new Set()

function runShard(shard, stream, extraArgs) {
  const started = Date.now()
  const args = [mochaBin, ...(process.stdout.isTTY ? ['--color'] : []), ...extraArgs, ...shard.files]
  const child = spawn(process.execPath, args, {cwd: root, stdio: ['ignore', 'pipe', 'pipe']})
  children.add(child)
  let output = ''
  const take = chunk => {
    output += chunk
    if (stream) process.stdout.write(chunk)
  }
  child.stdout.on('data', take)
  child.stderr.on('data', take)
  return new Promise(resolve => child.on('close', (code, signal) => {
    children.delete(child)
    resolve({name: shard.name, files: shard.files.length, output, code, signal, seconds: (Date.now() - started) / 1000})
  }))
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal)
  })
}

const jobs = Number(process.env.MLPS_TEST_JOBS ?? availableParallelism())
const planned = shards(testFiles(root), Number.isFinite(jobs) ? jobs : 1, readSource(root))
const started = Date.now()
if (planned.length > 1) console.log(`mocha in ${planned.length} processes: ${planned.map(shard => `${shard.name} (${shard.files.length} files)`).join(', ')}; the first prints as it goes, the other once both have ended\n`)
const results = await Promise.all(planned.map((shard, index) => runShard(shard, index === 0, process.argv.slice(2))))
if (planned.length === 1) process.exit(results[0].code ?? 1)

for (const {name, files, output} of results.slice(1)) process.stdout.write(`\n── ${name}: ${files} files ──\n${output}`)
const total = combine(results)
console.log(`\n── the whole suite: ${results.map(({name, seconds}) => `${name} ${(seconds / 60).toFixed(1)} min`).join(', ')} ──`)
for (const line of total.broken) console.log(`  ${line}`)
console.log(`  ${total.passing} passing (${Math.round((Date.now() - started) / 60_000)}m)`)
if (total.pending > 0) console.log(`  ${total.pending} pending`)
if (total.failing > 0) console.log(`  ${total.failing} failing`)
process.exit(total.failing > 0 || results.some(result => result.code !== 0) ? 1 : 0)
