// How `npm test` splits the suite over two mocha processes (scripts/run-tests.mjs) and adds up what they say.
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

/** The lab, the SSH lab or the real engines: tests that wait on other processes more than they compute. */
const USES_HOSTS = /useLaunchLab\(|\bSshLab\b|requireEngines\(/
/** A fixture built once per mocha process (two native campaigns, ~2 min): its users stay in one half. */
const USES_CAMPAIGN_TREE = /native-campaign-tree\.js/
// the escape sequences of --color, which mocha prints when the output is a terminal
const ANSI = new RegExp(String.raw`${String.fromCharCode(27)}\[[0-9;]*m`, 'g')

/** Every test file of the suite, relative to `root`, sorted: test/ and each plugin's test/. */
export function testFiles(root) {
  const dirs = ['test', ...readdirSync(join(root, 'plugins')).map(name => join('plugins', name, 'test'))]
  return dirs.flatMap(dir => {
    let names
    try {
      names = readdirSync(join(root, dir), {recursive: true})
    } catch {
      return []
    }
    return names.filter(name => name.endsWith('.test.ts')).map(name => join(dir, name))
  }).sort()
}

/** One shard per mocha process: with two or more jobs the host-bound tests and the rest, the longer half first (it is the one printed as it runs). */
export function shards(files, jobs, source) {
  if (jobs < 2) return [{name: 'all', files}]
  const hosts = []
  const rest = []
  for (const file of files) {
    const text = source(file)
    ;(!USES_CAMPAIGN_TREE.test(text) && USES_HOSTS.test(text) ? hosts : rest).push(file)
  }
  return [{name: 'rest', files: rest}, {name: 'hosts', files: hosts}].filter(shard => shard.files.length > 0)
}

export function readSource(root) {
  return file => readFileSync(join(root, file), 'utf8')
}

/** The last "N passing", "N failing" and "N pending" of a spec reporter's output; undefined where it printed none. */
export function summaryOf(output) {
  const plain = output.replace(ANSI, '')
  const count = word => {
    const all = [...plain.matchAll(new RegExp(`^ *(\\d+) ${word}\\b`, 'gm'))]
    return all.length > 0 ? Number(all.at(-1)[1]) : undefined
  }
  return {passing: count('passing'), failing: count('failing'), pending: count('pending')}
}

/**
 * The suite's figures from every shard's {name, output, code, signal}. A mocha that died (a crash in a root
 * hook, a signal) may print no summary, or one where nothing failed: it counts as a failure, never as a pass.
 */
export function combine(results) {
  const total = {passing: 0, failing: 0, pending: 0, broken: []}
  for (const {name, output, code, signal} of results) {
    const summary = summaryOf(output)
    total.passing += summary.passing ?? 0
    total.failing += summary.failing ?? 0
    total.pending += summary.pending ?? 0
    if (summary.passing === undefined || (code !== 0 && !summary.failing)) {
      total.broken.push(`${name}: mocha ended with ${signal ?? `exit code ${code}`}${summary.passing === undefined ? ' before its summary' : ', no test failing'}`)
      total.failing += 1
    }
  }
  return total
}
