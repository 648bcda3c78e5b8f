import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import type {MlpsError} from 'mlps'
import {parse} from 'yaml'

import {checkpointingFlags, checkpointLayout, LLM_MODEL_SPECS, LLM_MODELS, modelWorkload, planCheckpoints, scaleLayout} from '@mlps/plugin-checkpointing'
import {repoRoot} from '../../../test/helpers/cli.js'

const SAMSUNG = join(repoRoot, 'fixtures/checkpointing-v3.0/closed/SAMSUNG/results/MEMORY_AE/checkpointing/llama3-8b/20260721_000424')

function closedLayout(model: (typeof LLM_MODELS)[number]) {
  return checkpointLayout({workload: modelWorkload(model), processes: LLM_MODEL_SPECS[model].closedProcesses})
}

describe('checkpoint geometry (DLIO base_checkpointing)', () => {
  it('gives the checkpoint_size_GB real v3.0 runs published, to the last bit', () => {
    // SAMSUNG llama3-8b (fixture) and the rules note's 70B value; NVIDIA llama3-1t, 1024 ranks (SOURCE.md)
    assert.equal(closedLayout('llama3-8b').checkpointSizeGiB, JSON.parse(readFileSync(join(SAMSUNG, 'summary.json'), 'utf8')).metric.checkpoint_size_GB)
    assert.equal(closedLayout('llama3-8b').parameters, 8_030_261_248)
    assert.equal(closedLayout('llama3-70b').checkpointSizeGiB.toFixed(3), '911.212')
    assert.equal(closedLayout('llama3-1t').checkpointSizeGiB, 15426.589264154434)
  })

  it('pins every model against Rules Table 2 (105 GB, 912 GB, 5.29 T; 1T disagrees, see models.ts)', () => {
    const sizes = Object.fromEntries(LLM_MODELS.map(model => [model, closedLayout(model).checkpointSizeGiB]))
    assert.equal(Math.round(sizes['llama3-8b']), 105)
    assert.ok(Math.abs(sizes['llama3-70b'] - 912) < 1, `70B: ${sizes['llama3-70b']}`)
    assert.equal((sizes['llama3-405b'] / 1000).toFixed(2), '5.29')
    // Table 2's "18 T" is 2571 + 15426 from the reference's placeholder LLM_SIZE_BY_RANK; DLIO writes 15.43 T
    assert.equal(LLM_MODEL_SPECS['llama3-1t'].rulesTableSizeGiB, 18000)
    assert.equal((sizes['llama3-1t'] / 1000).toFixed(2), '15.43')
  })

  it('writes exactly checkpoint_size_GB: the files of all ranks add up to it', () => {
    for (const model of LLM_MODELS) {
      const layout = closedLayout(model)
      assert.equal(layout.checkpointBytes / 2 ** 30, layout.checkpointSizeGiB, model)
    }
  })

  it('names files as DLIO does: ZeRO 3 shards per rank, ZeRO 1 layers from the first data-parallel instance only', () => {
    const small = closedLayout('llama3-8b')
    assert.deepEqual(small.ranks[3].files.map(f => [f.name, f.bytes]), [
      ['zero_pp_rank_3_mp_rank_0_model_states.pt', 2_007_565_312],
      ['zero_pp_rank_3_mp_rank_0_optim_states.pt', 12_045_637_632],
    ])
    const big = closedLayout('llama3-405b')
    assert.equal(big.dataParallelism, 2)
    const first = big.ranks[0].files.map(f => f.name)
    assert.deepEqual(first.slice(0, 2), ['layer_0-model_0_model_states.pt', 'layer_1-model_0_model_states.pt'])
    assert.equal(first.at(-1), 'zero_pp_rank_0_mp_rank_0_optim_states.pt')
    // rank 256 starts the second data-parallel instance: it holds the model but writes only its optimizer shard
    assert.deepEqual(big.ranks[256].files.map(f => f.name), ['zero_pp_rank_1_mp_rank_0_optim_states.pt'])
    assert.equal(big.ranks[256].modelStateBytes, big.ranks[0].modelStateBytes)
    // the last pipeline stage adds lm_head (l+1) and the final norm (l+2)
    assert.ok(big.ranks[255].files.some(f => f.name === 'layer_128-model_255_model_states.pt'))
  })

  it('holds per rank about what the reference\'s datasize prints from its placeholder constants (8B 13.13, 70B 14.23 GB)', () => {
    const perRank = (model: (typeof LLM_MODELS)[number]) => closedLayout(model).ranks.map(r => (r.modelStateBytes + r.optimizerStateBytes) / 2 ** 30)
    assert.equal(perRank('llama3-8b')[0].toFixed(2), '13.09')
    assert.ok(perRank('llama3-70b').every(gib => gib.toFixed(1) === '14.2'))
  })

  it('scales every file for a smoke run and reports what was written', () => {
    const layout = closedLayout('llama3-8b')
    const scaled = scaleLayout(layout, 0.001)
    assert.deepEqual(scaled.ranks[0].files.map(f => f.bytes), [2_007_565, 12_045_637])
    assert.equal(scaled.checkpointSizeGiB, scaled.checkpointBytes / 2 ** 30)
    assert.equal(scaled.checkpointBytes, 8 * (2_007_565 + 12_045_637))
  })
})

describe('checkpoint plan (add_checkpoint_params)', () => {
  const base = {hosts: [{name: 'localhost'}], hostMemoryBytes: [512 * 2 ** 30], numCheckpointsWrite: 10, numCheckpointsRead: 10}

  it('injects what the reference injects, in its order, and matches the real run\'s overrides.yaml', () => {
    const plan = planCheckpoints({...base, model: 'llama3-8b', processes: 8, checkpointFolder: '/mnt/mlps_nvme/checkpoint/llama3-8b'})
    assert.equal(plan.mode, 'default')
    const overrides = parse(readFileSync(join(SAMSUNG, 'dlio_config/overrides.yaml'), 'utf8')) as string[]
    assert.deepEqual(['workload=llama3_8b', ...Object.entries(plan.toolInjected).map(([k, v]) => `++workload.${k}=${v}`)], overrides)
    // the effective workload equals the real run's resolved config, which has no dataset section
    const config = parse(readFileSync(join(SAMSUNG, 'dlio_config/config.yaml'), 'utf8')).workload
    assert.deepEqual(plan.workload, config)
    assert.equal('dataset' in plan.workload, false)
  })

  it('is subset mode when fewer processes than the CLOSED count run, with the data parallelism injected', () => {
    const plan = planCheckpoints({...base, model: 'llama3-70b', processes: 8, checkpointFolder: '/ckpt'})
    assert.equal(plan.mode, 'subset')
    assert.deepEqual(Object.keys(plan.toolInjected), ['checkpoint.mode', 'model.parallelism.data', 'checkpoint.num_checkpoints_read', 'checkpoint.num_checkpoints_write', 'checkpoint.checkpoint_folder'])
    assert.equal(plan.toolInjected['model.parallelism.data'], 8)
    // Rules' subset column: 70B on 8 processes writes 114 GiB (1/8 of 911)
    assert.equal(Math.round(plan.layout.checkpointSizeGiB), 114)
  })

  it('needs a clear cache between the phases exactly when the checkpoint data per client is under 3 × its memory', () => {
    const under = planCheckpoints({...base, model: 'llama3-8b', processes: 8})
    assert.equal(under.cacheClearRequired, true)
    const over = planCheckpoints({...base, hostMemoryBytes: [32 * 2 ** 30], model: 'llama3-8b', processes: 8})
    assert.equal(over.cacheClearRequired, false, '104.7 GiB ≥ 3 × 32 GiB')
  })

  it('refuses process counts that are not whole model instances, naming the flag', () => {
    assert.throws(() => planCheckpoints({...base, model: 'llama3-70b', processes: 68, mode: 'default'}),
      (error: MlpsError) => error.where === '--num-processes' && /multiple of 8/.test(error.fix ?? '') && /68 processes/.test(error.message))
    assert.throws(() => planCheckpoints({...base, model: 'llama3-8b', processes: 8, mode: 'subset'}), /fewer processes than the 8 of a full llama3-8b checkpoint/)
  })

  it('refuses an 8B subset on 2–7 processes, which DLIO rejects (comm size > data × tensor × pipeline = 1), with the counts that work', () => {
    for (const processes of [2, 7]) {
      assert.throws(() => planCheckpoints({...base, model: 'llama3-8b', processes}), (error: MlpsError) =>
        error.where === '--num-processes' && /subset mode runs on at most 1 process, not \d/.test(error.message) &&
        /--num-processes 1 for a subset, --mode default .* or --num-processes 8/.test(error.fix ?? ''))
    }
    assert.equal(planCheckpoints({...base, model: 'llama3-8b', processes: 1}).mode, 'subset')
    assert.equal(planCheckpoints({...base, model: 'llama3-8b', processes: 2, mode: 'default'}).processes, 2)
    assert.equal(planCheckpoints({...base, model: 'llama3-70b', processes: 63}).mode, 'subset', 'the other models fit any subset below CLOSED')
  })

  it('--help says which counts each model takes, never "a multiple of 1"', () => {
    const help = checkpointingFlags['num-processes'].description ?? ''
    assert.doesNotMatch(help, /multiple of 1\b/)
    assert.match(help, /llama3-8b: CLOSED 8, OPEN any count in default mode and at most 1 in subset mode/)
    assert.match(help, /llama3-70b: CLOSED 64, OPEN a multiple of 8 in default mode;/)
  })
})
