import assert from 'node:assert/strict'
import {checkpointFilesystemSeparation, kvcacheFilesystemSeparation, trainingFilesystemSeparation, vdbFilesystemSeparation} from '@mlps/plugin-rules-v3'
import {trainingClosedParameters} from '../src/training-rules.js'
import type {LoadedRun, RuleContext, RuleOutcome} from 'mlps'

const context = {edition: '3.0', options: {}, tree: {}} as unknown as RuleContext
const bucket = (role: string) => ({role, kind: 'object', uri: 's3://mlperf-data/runs', endpoint: 'http://10.0.0.5:9000', region: 'us-east-1'})
const folder = (role: string) => ({role, kind: 'filesystem', path: '/mnt/sut'})

/** A leaf with an mlps record saying where its storage under test was, and no fs_separation.json (none is written for a bucket). */
const leaf = (storage: unknown[], extra: Partial<LoadedRun> = {}) => ({
  path: 'closed/acme/results/sut/x/20260101_000000', division: 'closed', model: 'unet3d', documents: {}, sources: {record: 'metadata.json'},
  userOverrides: {}, toolInjected: {}, record: {storage}, ...extra,
}) as unknown as LoadedRun

const judge = (rule: {check: (run: LoadedRun, context: RuleContext) => unknown}, run: LoadedRun) => rule.check(run, context) as RuleOutcome | RuleOutcome[]

describe('rules-v3 on object storage', () => {
  const rules = [[trainingFilesystemSeparation, 'data_dir'], [checkpointFilesystemSeparation, 'checkpoint_folder'], [vdbFilesystemSeparation, 'data_dir'], [kvcacheFilesystemSeparation, 'cache_dir']] as const
  for (const [rule, role] of rules) {
    it(`${rule.id}: a bucket is no filesystem, so separation does not apply; a folder without proof stays not evaluable`, () => {
      assert.deepEqual(judge(rule, leaf([bucket(role)])), {status: 'pass'})
      assert.equal((judge(rule, leaf([folder(role)])) as RuleOutcome).status, 'notEvaluable')
      assert.equal((judge(rule, leaf([bucket('another_role')])) as RuleOutcome).status, 'notEvaluable', 'a bucket elsewhere proves nothing about this path')
      assert.equal((judge(rule, leaf([bucket(role), folder(role)])) as RuleOutcome).status, 'notEvaluable', 'a folder among its paths still needs the proof')
    })
  }

  it('3.6.2: the object-storage keys the tool injects are not the user\'s overrides, even where a tree lists them as overrides', () => {
    const injected = {
      'storage.storage_type': 's3', 'storage.storage_root': 'mlperf-data', 'storage.storage_options.storage_library': 's3dlio',
      'storage.storage_options.uri_scheme': 's3', 'storage.s3_force_path_style': true, 'dataset.data_folder': 'runs/unet3d',
    }
    assert.deepEqual(judge(trainingClosedParameters, leaf([bucket('data_dir')], {userOverrides: injected})), {status: 'pass'})
    assert.deepEqual(judge(trainingClosedParameters, leaf([bucket('data_dir')], {userOverrides: {'storage.storage_options.prefetch_window': 8}})), {status: 'pass'}, 'a CLOSED tunable of object storage')
    const endpoint = judge(trainingClosedParameters, leaf([bucket('data_dir')], {userOverrides: {'storage.storage_options.endpoint_url': 'http://x:9000'}})) as RuleOutcome[]
    assert.equal(endpoint.length, 1)
    assert.equal(endpoint[0].status === 'fail' && endpoint[0].severity, undefined, 'an endpoint in the workload is the user\'s change and not allowed in CLOSED (default severity: error)')
  })
})
