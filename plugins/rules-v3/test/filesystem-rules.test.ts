import assert from 'node:assert/strict'
import {checkpointFilesystemSeparation, kvcacheFilesystemSeparation, trainingFilesystemSeparation, vdbFilesystemSeparation} from '@mlps/plugin-rules-v3'
import type {LoadedRun, RuleContext, RuleOutcome} from 'mlps'

const context = {edition: '3.0', options: {}, tree: {}} as unknown as RuleContext
const leaf = (division: 'closed' | 'open', document?: unknown) =>
  ({path: `${division}/acme/results/sut/x/20260101_000000`, division, documents: document === undefined ? {} : {'fs_separation.json': document}}) as unknown as LoadedRun

describe('rules-v3: 3.4.2, 4.4.2, 5.4.2 and 6.4.1 read fs_separation.json', () => {
  it('one rule per benchmark that has storage under test', () => {
    assert.deepEqual([trainingFilesystemSeparation, checkpointFilesystemSeparation, vdbFilesystemSeparation, kvcacheFilesystemSeparation].map(rule => [rule.id, rule.benchmarks]), [
      ['3.4.2 trainingFilesystemCheck', ['training']], ['4.4.2 checkpointFilesystemCheck', ['checkpointing']],
      ['5.4.2 vdbFilesystemCheck', ['vector_database']], ['6.4.1 kvcacheCacheFilesystem', ['kv_cache']],
    ])
  })

  for (const rule of [trainingFilesystemSeparation, checkpointFilesystemSeparation, vdbFilesystemSeparation, kvcacheFilesystemSeparation]) {
    it(`${rule.id}: separate passes; one filesystem is an error in CLOSED and a warning in OPEN; no proof is not evaluable`, () => {
      const judge = (run: LoadedRun) => rule.check(run, context) as RuleOutcome
      assert.deepEqual(judge(leaf('closed', {same_filesystem: false, method: 'link_exdev'})), {status: 'pass'})
      const closed = judge(leaf('closed', {same_filesystem: true}))
      assert.equal(closed.status, 'fail')
      assert.equal(closed.status === 'fail' && closed.severity, 'error')
      const open = judge(leaf('open', {same_filesystem: true}))
      assert.equal(open.status === 'fail' && open.severity, 'warn')
      assert.equal(judge(leaf('closed')).status, 'notEvaluable')
      assert.equal(judge(leaf('closed', {same_filesystem: null, unmeasured: [{host: 'node02', unmeasured: 'ssh failed'}]})).status, 'notEvaluable', 'a host not measured proves nothing')
    })
  }
})
