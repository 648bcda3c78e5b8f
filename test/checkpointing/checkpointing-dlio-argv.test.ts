import assert from 'node:assert/strict'
import {type CliResult, parseJson, runCli, tempDir} from '../helpers/cli.js'

interface Plan {engine: string; launcher: string; argv: string[]; leaf: string}
interface Invocation {status: string; plan: Plan}
interface DryRun {
  status: string
  exitCode: number
  plan: Plan
  pair?: {kind: string; write: Invocation; read: Invocation; cacheClear: {launcher: string; argv: string[]; hosts: string[]}}
  steps?: Array<{step: string; argv: string[]; leaf?: string; status: string}>
}

// The reference's construction (mlpstorage-spec.md §3.4, §3.5): `workload=<config>`, then the --params, then what
// add_checkpoint_params injects — checkpoint.mode=subset and model.parallelism.data = ClosedGPUs / GPUpDP when fewer
// processes than ClosedGPUs run, then num_checkpoints_read, num_checkpoints_write, checkpoint_folder joined with the model.
const MODELS = [
  {model: 'llama3-8b', config: 'llama3_8b', closed: 8, subset: 1, data: 1}, // DLIO takes at most data × tensor × pipeline = 1 process in an 8B subset
  {model: 'llama3-70b', config: 'llama3_70b', closed: 64, subset: 8, data: 8},
  {model: 'llama3-405b', config: 'llama3_405b', closed: 512, subset: 8, data: 2},
  {model: 'llama3-1t', config: 'llama3_1t', closed: 1024, subset: 8, data: 2},
]

function referenceTail(config: string, model: string, folder: string, counts: {read: number; write: number}, subsetData?: number): string[] {
  return [
    `workload=${config}`,
    ...(subsetData === undefined ? [] : ['++workload.checkpoint.mode=subset', `++workload.model.parallelism.data=${subsetData}`]),
    `++workload.checkpoint.num_checkpoints_read=${counts.read}`,
    `++workload.checkpoint.num_checkpoints_write=${counts.write}`,
    `++workload.checkpoint.checkpoint_folder=${folder}/${model}`,
    // the config dir mlps writes into the leaf (the reference's is its own configs/dlio)
    '--config-dir=',
  ]
}

const dlioTail = (argv: string[]) => argv.filter(arg => arg.startsWith('workload=') || arg.startsWith('++workload.') || arg.startsWith('--config-dir='))
  .map(arg => arg.startsWith('--config-dir=') ? '--config-dir=' : arg)

/** Run the dry runs a few at a time: each is a whole CLI start, mostly waiting on its preflight probes. */
async function inBatches<T>(tasks: Array<() => Promise<T>>, size: number): Promise<T[]> {
  const results: T[] = []
  for (let i = 0; i < tasks.length; i += size) results.push(...await Promise.all(tasks.slice(i, i + size).map(task => task())))
  return results
}

describe('mlps checkpointing run --engine dlio --dry-run --json (built CLI, engine-dlio plugin; DLIO itself not installed)', function () {
  this.timeout(120_000)
  const cases = MODELS.flatMap(model => (['default', 'subset'] as const).map(mode => ({...model, mode, processes: mode === 'default' ? model.closed : model.subset})))
  const outputs = new Map<string, CliResult>()
  const key = (model: string, mode: string, memoryGiB: number) => `${model}/${mode}/${memoryGiB}`

  before(async function () {
    // 16 CLI starts at ~1.7 s of CPU each: 120 s was not enough when CI shared the 2 cores with other work
    this.timeout(300_000)
    // 1 GiB per client: every client's share of the checkpoint is ≥ 3 × its memory; 1 TiB: under it (Rules 4.3.1)
    const runs = cases.flatMap(({model, mode, processes}) => [1, 1024].map(memoryGiB => async () => {
      outputs.set(key(model, mode, memoryGiB), await runCli(['checkpointing', 'run', '--model', model, '--num-processes', String(processes), '--hosts', 'node[0001-0128]:8',
        '--client-host-memory-in-gb', String(memoryGiB), '--checkpoint-folder', '/mnt/sut/ckpt', '--engine', 'dlio', '--open', '--dry-run', '--results-dir', tempDir(), '--json']))
    }))
    await inBatches(runs, 4)
  })

  for (const {model, config, mode, processes, data} of cases) {
    it(`${model} ${mode}: one 10/10 invocation when no clearing is needed, else the 10/0 + 0/10 pair; each argv as the reference builds it`, () => {
      const subsetData = mode === 'subset' ? data : undefined
      const single = outputs.get(key(model, mode, 1))!
      const pair = outputs.get(key(model, mode, 1024))!

      assert.equal(single.exitCode, 0, single.stderr)
      const one = parseJson<DryRun>(single)
      assert.equal(one.pair, undefined)
      assert.equal(one.plan.engine, 'dlio')
      assert.deepEqual(dlioTail(one.plan.argv), referenceTail(config, model, '/mnt/sut/ckpt', {read: 10, write: 10}, subsetData))
      assert.equal(one.plan.argv[one.plan.argv.indexOf('-n') + 1], String(processes))

      assert.equal(pair.exitCode, 0, pair.stderr)
      const two = parseJson<DryRun>(pair)
      assert.equal(two.status, 'PLANNED')
      assert.equal(two.pair?.kind, 'write/read pair')
      // what `--num-checkpoints-read 0`, then `--num-checkpoints-write 0` would make the reference run
      assert.deepEqual(dlioTail(two.pair.write.plan.argv), referenceTail(config, model, '/mnt/sut/ckpt', {read: 0, write: 10}, subsetData))
      assert.deepEqual(dlioTail(two.pair.read.plan.argv), referenceTail(config, model, '/mnt/sut/ckpt', {read: 10, write: 0}, subsetData))
      assert.deepEqual(two.plan, two.pair.write.plan, 'the top-level plan is the first invocation')
      // and both halves are on top too: every command the pair would run, in order
      assert.deepEqual(two.steps?.map(({step, argv, leaf, status}) => [step, argv, leaf, status]), [
        ['write', two.pair.write.plan.argv, two.pair.write.plan.leaf, 'PLANNED'],
        ['cacheClear', two.pair.cacheClear.argv, undefined, 'PLANNED'],
        ['read', two.pair.read.plan.argv, two.pair.read.plan.leaf, 'PLANNED'],
      ])
      assert.equal(one.steps, undefined, 'one invocation has no steps')
      for (const {plan} of [two.pair.write, two.pair.read]) assert.equal(plan.argv[plan.argv.indexOf('-n') + 1], String(processes))
      // between them, one rank on each client host clears its page cache
      const clear = two.pair.cacheClear
      assert.equal(clear.launcher, 'openmpi')
      assert.equal(clear.argv[clear.argv.indexOf('-n') + 1], String(clear.hosts.length))
      assert.equal(clear.argv[clear.argv.indexOf('-host') + 1], clear.hosts.map(host => `${host}:1`).join(','))
      assert.deepEqual(clear.argv.slice(-3, -1), ['sh', '-c'])
      assert.match(clear.argv.at(-1)!, /^sync$/m)
      assert.match(clear.argv.at(-1)!, /echo 3 > \/proc\/sys\/vm\/drop_caches/)
    })
  }
})
