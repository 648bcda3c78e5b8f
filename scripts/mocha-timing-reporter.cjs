// A mocha reporter for finding where the suite's time goes: the spec reporter's output, and a JSON file
// (--reporter-option output=FILE, default mocha-timings.json) with the wall time of every file, every hook
// (before-all hooks hold the shared fixtures, which spec never times) and every test, slowest first.
//   npx mocha --reporter ./scripts/mocha-timing-reporter.cjs --reporter-option output=/tmp/t.json 'test/lab/*.test.ts'
// It is written when the run ends, also when mocha is stopped by Ctrl-C.
const {writeFileSync} = require('node:fs')
const Mocha = require('mocha')

const {EVENT_HOOK_BEGIN, EVENT_HOOK_END, EVENT_RUN_END, EVENT_SUITE_BEGIN, EVENT_SUITE_END, EVENT_TEST_END} = Mocha.Runner.constants
const slowestFirst = (a, b) => b.ms - a.ms

class TimingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options)
    const output = options.reporterOptions?.output ?? 'mocha-timings.json'
    const fileStarts = new Map()
    const files = new Map()
    const hookStarts = new Map()
    const hooks = []
    const tests = []
    runner.on(EVENT_SUITE_BEGIN, suite => {
      if (suite.file && suite.parent?.root) fileStarts.set(suite, Date.now())
    })
    runner.on(EVENT_SUITE_END, suite => {
      if (fileStarts.has(suite)) files.set(suite.file, (files.get(suite.file) ?? 0) + Date.now() - fileStarts.get(suite))
    })
    runner.on(EVENT_HOOK_BEGIN, hook => hookStarts.set(hook, Date.now()))
    runner.on(EVENT_HOOK_END, hook => {
      const ms = Date.now() - hookStarts.get(hook)
      // beforeEach/afterEach hooks run once per test: kept when one of their runs is slow
      if (ms >= 50) hooks.push({hook: hook.title, suite: hook.parent?.fullTitle() || '{root}', file: hook.file, ms})
    })
    runner.on(EVENT_TEST_END, test => tests.push({test: test.fullTitle(), file: test.file, state: test.state, ms: test.duration ?? 0}))
    const write = () => writeFileSync(output, JSON.stringify({
      files: [...files].map(([file, ms]) => ({file, ms})).sort(slowestFirst),
      hooks: hooks.sort(slowestFirst),
      tests: tests.sort(slowestFirst),
    }, null, 1))
    runner.once(EVENT_RUN_END, write)
    process.once('SIGINT', write)
  }
}

module.exports = TimingReporter
