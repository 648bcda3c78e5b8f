import assert from 'node:assert/strict'
import {buildRunPlan, CLOSED_OPTIONS, rankHosts, rankInvocations} from '@mlps/plugin-kvcache'

describe('kvcache: the run plan', () => {
  it('CLOSED: the three options verbatim × 3 trials, seed 42, 90 s between options', () => {
    const {plan} = buildRunPlan({division: 'closed', flags: {}, hostCount: 1})
    assert.deepEqual(plan.passes.map(pass => `${pass.option}/${pass.trial}`), ['1/0', '1/1', '1/2', '2/0', '2/1', '2/2', '3/0', '3/1', '3/2'])
    assert.deepEqual(plan.passes.filter(pass => pass.trial === 0).map(pass => pass.params), CLOSED_OPTIONS.map(option => option.params))
    assert.equal(plan.seedBase, 42)
    assert.equal(plan.interOptionDelaySeconds, 90)
    assert.deepEqual(plan.passes.map(pass => pass.kvBytesPerToken).filter((v, i, all) => all.indexOf(v) === i), [131_072, 327_680])
  })

  it('CLOSED refuses every workload change at once, naming each', () => {
    assert.throws(() => buildRunPlan({division: 'closed', flags: {model: 'tiny-1b', seed: 1, trials: 1, 'inter-option-delay': 0}, hostCount: 1}), (error: Error) => {
      assert.match(error.message, /--model changes the workload/)
      assert.match(error.message, /--seed must be 42/)
      assert.match(error.message, /--trials must be 3/)
      assert.match(error.message, /--inter-option-delay must be 90 s/)
      return true
    })
  })

  it('waits 90 s before and after every pass in CLOSED, as the official mlperf_wrapper.py sleeps; OPEN only when asked', () => {
    const closed = buildRunPlan({division: 'closed', flags: {}, hostCount: 1})
    assert.deepEqual([closed.plan.passStartDelaySeconds, closed.plan.passEndDelaySeconds], [90, 90])
    assert.equal(closed.toolInjected.passStartDelaySeconds, 90)
    assert.throws(() => buildRunPlan({division: 'closed', flags: {'start-delay': 0, 'end-delay': 5}, hostCount: 1}), (error: Error) =>
      /--start-delay must be 90 s in CLOSED/.test(error.message) && /--end-delay must be 90 s in CLOSED/.test(error.message))
    const open = buildRunPlan({division: 'open', flags: {}, hostCount: 1})
    assert.deepEqual([open.plan.passStartDelaySeconds, open.plan.passEndDelaySeconds], [0, 0])
    const asked = buildRunPlan({division: 'open', flags: {'start-delay': 90, 'end-delay': 30}, hostCount: 1})
    assert.deepEqual([asked.plan.passStartDelaySeconds, asked.plan.passEndDelaySeconds, asked.userOverrides['end-delay']], [90, 30, 30])
  })

  it('OPEN: only the flags given replace option values; the rest stay the option\'s', () => {
    const {plan, userOverrides} = buildRunPlan({division: 'open', flags: {'num-users': 8, option: [2], trials: 1}, hostCount: 1})
    assert.equal(plan.passes.length, 1)
    assert.deepEqual(plan.passes[0].params, {...CLOSED_OPTIONS[1].params, numUsers: 8})
    assert.deepEqual(userOverrides, {numUsers: 8, trials: 1, option: [2]})
  })

  it('lays ranks out as --num-processes across hosts, or --npernode × hosts, and refuses an uneven split', () => {
    assert.equal(buildRunPlan({division: 'closed', flags: {'num-processes': 8}, hostCount: 4}).plan.npernode, 2)
    assert.equal(buildRunPlan({division: 'closed', flags: {npernode: 3}, hostCount: 2}).plan.ranks, 6)
    assert.throws(() => buildRunPlan({division: 'closed', flags: {'num-processes': 5}, hostCount: 2}), /does not divide evenly/)
    assert.throws(() => buildRunPlan({division: 'closed', flags: {'num-processes': 5, npernode: 2}, hostCount: 2}), /does not equal --npernode 2 × 2 hosts/)
  })

  it('gives every rank its own seed, output and cache folder (mlperf_wrapper.py\'s per-rank argv)', () => {
    const {plan} = buildRunPlan({division: 'closed', flags: {npernode: 2}, hostCount: 1})
    const ranks = rankInvocations(plan.passes[3], {
      python: 'python3', script: '/kv/kv-cache.py', config: '/kv/config.yaml', leaf: '/r/leaf', cacheRoot: '/mnt/nvme/kv', seedBase: 42,
      timestamp: '20260721_002336', rankHosts: rankHosts(['localhost'], 2),
    })
    assert.deepEqual(ranks[1].argv, [
      'python3', '/kv/kv-cache.py', '--config', '/kv/config.yaml', '--seed', '43',
      '--output', '/r/leaf/option_2/trial_0/rank_1/kvcache_results_20260721_002336.json', '--cache-dir', '/mnt/nvme/kv/rank_1',
      '--model', 'llama3.1-8b', '--num-users', '100', '--duration', '300', '--gpu-mem-gb', '0', '--cpu-mem-gb', '4',
      '--max-concurrent-allocs', '16', '--generation-mode', 'none',
    ])
  })
})
