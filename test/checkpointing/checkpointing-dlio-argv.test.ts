import assert from 'node:assert/strict'
import {parseJson, runCli, tempDir} from '../helpers/cli.js'

interface DryRun {exitCode: number; plan: {engine: string; argv: string[]}}

// The reference's construction (mlpstorage-spec.md §3.4, §3.5): `workload=<config>`, then the --params, then what
// add_checkpoint_params injects — checkpoint.mode=subset and model.parallelism.data = ClosedGPUs / GPUpDP when fewer
// processes than ClosedGPUs run, then num_checkpoints_read, num_checkpoints_write, checkpoint_folder joined with the model.
const MODELS = [
  {model: 'llama3-8b', config: 'llama3_8b', closed: 8, subset: 4, data: 1},
  {model: 'llama3-70b', config: 'llama3_70b', closed: 64, subset: 8, data: 8},
  {model: 'llama3-405b', config: 'llama3_405b', closed: 512, subset: 8, data: 2},
  {model: 'llama3-1t', config: 'llama3_1t', closed: 1024, subset: 8, data: 2},
]

function referenceTail(config: string, model: string, folder: string, subsetData?: number): string[] {
  return [
    `workload=${config}`,
    ...(subsetData === undefined ? [] : ['++workload.checkpoint.mode=subset', `++workload.model.parallelism.data=${subsetData}`]),
    '++workload.checkpoint.num_checkpoints_read=10',
    '++workload.checkpoint.num_checkpoints_write=10',
    `++workload.checkpoint.checkpoint_folder=${folder}/${model}`,
  ]
}

describe('mlps checkpointing run --engine dlio --dry-run (built CLI, engine-dlio plugin; DLIO itself not installed)', () => {
  for (const {model, config, closed, subset, data} of MODELS) {
    for (const mode of ['default', 'subset'] as const) {
      it(`${model} ${mode}: the DLIO argv matches the reference's`, async () => {
        const processes = mode === 'default' ? closed : subset
        const result = await runCli(['checkpointing', 'run', '--model', model, '--num-processes', String(processes), '--hosts', 'node[0001-0128]:8',
          '--client-host-memory-in-gb', '1024', '--checkpoint-folder', '/mnt/sut/ckpt', '--engine', 'dlio', '--open', '--dry-run', '--results-dir', tempDir(), '--json'])
        assert.equal(result.exitCode, 0, result.stderr)
        const {plan} = parseJson<DryRun>(result)
        assert.equal(plan.engine, 'dlio')
        const tail = plan.argv.filter(arg => arg.startsWith('workload=') || arg.startsWith('++workload.'))
        assert.deepEqual(tail, referenceTail(config, model, '/mnt/sut/ckpt', mode === 'subset' ? data : undefined))
        assert.equal(plan.argv[plan.argv.indexOf('-n') + 1], String(processes))
      })
    }
  }
})
