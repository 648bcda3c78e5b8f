import assert from 'node:assert/strict'
import {MlpsConfigSchema} from '../../../src/config/schema.js'
import {clearPageCaches, gapFindings, probeCacheClear} from '@mlps/plugin-checkpointing'

const config = MlpsConfigSchema.parse({launcher: {type: 'openmpi'}})
const never = new AbortController().signal

describe('clearing the page cache between the invocations of a pair (real mpirun, Rules 4.3.1)', function () {
  this.timeout(60_000)

  it('asks each client host, one rank per host, whether it can clear its cache: here root, by writing /proc itself', async function () {
    if (process.getuid?.() !== 0) this.skip()
    const probe = await probeCacheClear({hosts: [{name: 'localhost'}], numProcesses: 8, config}, never)
    assert.equal(probe.failure, undefined)
    assert.deepEqual(probe.plan.argv.slice(1, 5), ['-n', '1', '-host', 'localhost:1'])
    assert.deepEqual(probe.perHost.map(host => [host.name, host.uid, host.via]), [['localhost', 0, 'root']])
  })

  it('clears it: sync, then 3 into /proc/sys/vm/drop_caches, and says where and how long', async function () {
    if (process.getuid?.() !== 0) this.skip()
    const outcome = await clearPageCaches({hosts: [{name: 'localhost', slots: 8}], numProcesses: 8, config}, never)
    assert.equal(outcome.cleared, true, outcome.reason)
    assert.deepEqual(outcome.hosts, ['localhost'])
    assert.deepEqual(outcome.perHost.map(host => host.via), ['root'])
    assert.ok(outcome.seconds >= 0 && Date.parse(outcome.endedAt) >= Date.parse(outcome.startedAt))
    assert.deepEqual(outcome.argv.slice(-3, -1), ['sh', '-c'])
  })

  it('names a host it cannot reach, with the launcher\'s own reason, instead of guessing', async () => {
    const probe = await probeCacheClear({hosts: [{name: 'localhost'}, {name: 'no-such-host.invalid'}], numProcesses: 2, config}, never)
    assert.match(probe.failure ?? '', /mpirun exited with code \d+: ssh: Could not resolve hostname no-such-host/)
    assert.deepEqual(probe.perHost.map(host => [host.name, host.via]), [['localhost', undefined], ['no-such-host.invalid', undefined]])
    assert.match(probe.perHost[1].problem ?? '', /Could not resolve hostname/)
  })
})

describe('the write-end → read-start gap of a pair (Rules 4.7.1)', () => {
  // one definition, the rules' (write invocation end → read invocation start): a real DLIO's 15–18 s start-up made the
  // summaries' times say 43.2 s where the invocations were 0.5 s apart, and the run reported both
  it('is fine within 30 s, a warning beyond, and a clock-skew warning when negative, judged on the invocations only', () => {
    assert.deepEqual(gapFindings({invocations: 0.3, engines: 2.1, summaries: 1.2}), [])
    assert.deepEqual(gapFindings({invocations: 0.5, engines: 20.4, summaries: 43.2}), [], 'DLIO\'s start-up is not part of the gap')
    const late = gapFindings({invocations: 45.5, engines: 47})
    assert.deepEqual(late.map(f => [f.ruleId, f.severity]), [['checkpointing.writeReadGap', 'warn']])
    assert.match(late[0].message, /read invocation started 45\.5 s after the write invocation ended; Rules 4\.7\.1 allow 30 s/)
    const skewed = gapFindings({invocations: -3, summaries: 0.2})
    assert.deepEqual(skewed.map(f => [f.ruleId, f.severity]), [['checkpointing.clockSkew', 'warn']])
    assert.match(skewed[0].message, /3\.0 s before the write invocation ended/)
  })
})
