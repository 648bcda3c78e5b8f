import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'yaml'
import type {DlioWorkload} from '@mlps/run-options'
import {parseHosts} from '../../src/hosts/parse-hosts.js'
import {parseHydraOverrideList} from '../../lib/result-formats/src/dlio/hydra-config.js'
import {planDlio} from '../../plugins/engine-dlio/src/dlio-plan.js'
import {workloadYaml} from '../../plugins/engine-dlio/src/dlio-config-dir.js'
import {hydraValue} from '../../plugins/engine-dlio/src/hydra-value.js'
import {dlioOverrides} from '../../plugins/engine-dlio/src/dlio-overrides.js'
import {placeDataset, resolveWorkload} from '../../plugins/training/src/training-inputs.js'
import {repoRoot} from '../helpers/cli.js'
import {dlioContext} from './context.js'

/** What `mlps training <command>` hands the engine: the training plugin's own workload and data placement. */
function trainingContext(command: 'datagen' | 'run', model: string, target: string, params: string[], dataDir: string, numProcesses: number, extra: {hosts?: string; toolInjected?: Record<string, unknown>; launcher?: Record<string, unknown>} = {}) {
  const {workload, baseWorkload, workloadName, userOverrides} = resolveWorkload(model, target, params)
  const {toolInjected} = placeDataset(workload, model, dataDir, {engine: 'dlio'})
  return dlioContext({
    benchmark: 'training', command, model, workloadName, workload, baseWorkload, userOverrides, numProcesses,
    // tool-injected keys keep the reference's order: its extras first, the data folder last (add_datadir_param runs last)
    toolInjected: {...extra.toolInjected, ...toolInjected}, hosts: extra.hosts ? parseHosts([extra.hosts]) : undefined, launcher: extra.launcher,
  })
}

/** The argv after the launcher prefix, with the run leaf written as <leaf>. */
function dlioPart(argv: readonly string[], leaf: string): string[] {
  const start = argv.findIndex(arg => arg === 'dlio_benchmark' || arg.endsWith('/dlio_benchmark'))
  return argv.slice(start).map(arg => arg.replaceAll(leaf, '<leaf>'))
}

// llama3_8b as the v3.0 YAML has it (mlpstorage-spec.md §3.5; the SAMSUNG run's dlio_config/config.yaml)
function llama(name: string, layers: number, tp: number, pp: number, zero: number, hidden: number, ffn: number, heads: number, kvHeads: number): DlioWorkload {
  return {
    model: {
      name: `llama_${name}`, type: 'transformer', num_layers: layers, model_datatype: 'fp16', optimizer_datatype: 'fp32',
      parallelism: {pipeline: pp, tensor: tp, zero_stage: zero},
      transformer: {vocab_size: 128256, hidden_size: hidden, ffn_hidden_size: ffn, num_attention_heads: heads, num_kv_heads: kvHeads},
    },
    framework: 'pytorch',
    workflow: {generate_data: false, train: false, checkpoint: true},
    dataset: {data_folder: 'data/llama', format: 'npz', num_files_train: 0, num_samples_per_file: 1, record_length_bytes: 0},
    checkpoint: {checkpoint_folder: `checkpoints/llama_${name}`, time_between_checkpoints: 5, num_checkpoints_write: 10, num_checkpoints_read: 10, fsync: true},
  }
}

/** What `mlps checkpointing run` injects, in add_checkpoint_params' order (mlpstorage-spec.md §3.5). */
function checkpointingContext(model: string, workload: DlioWorkload, numProcesses: number, closedCount: number, dataParallelism: number, folder: string, hosts?: string) {
  const toolInjected: Record<string, unknown> = {}
  const effective = structuredClone(workload)
  if (numProcesses < closedCount) {
    toolInjected['checkpoint.mode'] = 'subset'
    toolInjected['model.parallelism.data'] = dataParallelism
    effective.checkpoint!.mode = 'subset'
    effective.model.parallelism = {...effective.model.parallelism, data: dataParallelism}
  }
  toolInjected['checkpoint.num_checkpoints_read'] = 10
  toolInjected['checkpoint.num_checkpoints_write'] = 10
  toolInjected['checkpoint.checkpoint_folder'] = join(folder, model)
  effective.checkpoint!.checkpoint_folder = join(folder, model)
  return dlioContext({
    benchmark: 'checkpointing', command: 'run', model, workloadName: model.replaceAll('-', '_'), workload: effective, baseWorkload: workload,
    toolInjected, numProcesses, hosts: hosts ? parseHosts([hosts]) : undefined,
  })
}

describe('DLIO argv (mlpstorage-spec.md §3.4, §3.5)', function () {
  this.timeout(30_000)

  it('training datagen: the reference\'s example command (Appendix C), under Open MPI 4 as root', async () => {
    const ctx = trainingContext('datagen', 'unet3d', 'datagen', ['dataset.num_files_train=28000'], '/mnt/sut', 16, {hosts: '127.0.0.1'})
    const plan = await planDlio(ctx)
    const leaf = plan.leaf!
    assert.equal(plan.launcher, 'openmpi')
    assert.deepEqual(plan.argv!.slice(1, 12), ['-n', '16', '-host', '127.0.0.1:16', '--bind-to', 'none', '--map-by', 'socket', '--allow-run-as-root', '-x', 'MLPS_RUN_ID'])
    assert.deepEqual(dlioPart(plan.argv!, leaf), [
      'dlio_benchmark', 'workload=unet3d_datagen', '++hydra.run.dir=<leaf>', '++hydra.output_subdir=dlio_config',
      '++workload.dataset.num_files_train=28000', '++workload.dataset.data_folder=/mnt/sut/unet3d', '--config-dir=<leaf>/dlio_workload_config',
    ])
    assert.match(leaf, /\/closed\/acme\/results\/sut\/training\/unet3d\/datagen\/\d{8}_\d{6}$/)
    assert.deepEqual(plan.env, {MLPS_RUN_ID: ctx.runId})
  })

  it('training run: the recorded v3.0 unet3d_b200 command (engines.md §1.2), 8 hosts × 1 rank', async () => {
    const ctx = trainingContext('run', 'unet3d', 'b200',
      ['dataset.num_files_train=55500', 'dataset.num_subfolders_train=0', 'reader.read_threads=24'], '/mnt/alluxio/mlperf', 8, {
        hosts: '172.31.15.209,172.31.9.50,172.31.4.133,172.31.9.105,172.31.13.26,172.31.15.44,172.31.12.239,172.31.4.111',
        toolInjected: {'dataset.skip_listing': true, 'dataset.listing_validation_interval': 1},
        launcher: {extraArgs: ['-x', 'DLIO_DROP_CACHES_TIMEOUT']},
      })
    const plan = await planDlio(ctx)
    assert.deepEqual(plan.argv!.slice(1, 10), ['-n', '8', '-host', '172.31.15.209:1,172.31.9.50:1,172.31.4.133:1,172.31.9.105:1,172.31.13.26:1,172.31.15.44:1,172.31.12.239:1,172.31.4.111:1', '--bind-to', 'none', '--map-by', 'node', '--allow-run-as-root'])
    assert.deepEqual(plan.argv!.slice(10, 14), ['-x', 'MLPS_RUN_ID', '-x', 'DLIO_DROP_CACHES_TIMEOUT'])
    assert.deepEqual(dlioPart(plan.argv!, plan.leaf!).slice(1, -1), [
      'workload=unet3d_b200', '++hydra.run.dir=<leaf>', '++hydra.output_subdir=dlio_config', '++workload.dataset.num_files_train=55500',
      '++workload.dataset.num_subfolders_train=0', '++workload.reader.read_threads=24', '++workload.dataset.skip_listing=True',
      '++workload.dataset.listing_validation_interval=1', '++workload.dataset.data_folder=/mnt/alluxio/mlperf/unet3d',
    ])
  })

  it('training run and datagen for other models: workload=<model>_<accelerator|datagen>, overrides in --param order', async () => {
    const cases: Array<[Parameters<typeof trainingContext>, string[]]> = [
      [['run', 'retinanet', 'mi355', ['reader.read_threads=16', 'dataset.num_files_train=8511284', 'dataset.num_subfolders_train=852'], '/data/retinanet', 16, {hosts: 'node[01-02]:8'}],
        ['workload=retinanet_mi355', '++workload.reader.read_threads=16', '++workload.dataset.num_files_train=8511284', '++workload.dataset.num_subfolders_train=852', '++workload.dataset.data_folder=/data/retinanet']],
      [['run', 'dlrm', 'b200', ['dataset.num_files_train=765'], '/data', 4, {}],
        ['workload=dlrm_b200', '++workload.dataset.num_files_train=765', '++workload.dataset.data_folder=/data/dlrm']],
      [['datagen', 'flux', 'datagen', ['dataset.num_files_train=4408'], '/mnt/my data', 2, {}],
        ['workload=flux_datagen', '++workload.dataset.num_files_train=4408', "++workload.dataset.data_folder='/mnt/my data/flux'"]],
    ]
    for (const [args, expected] of cases) {
      const plan = await planDlio(trainingContext(...args))
      const part = dlioPart(plan.argv!, plan.leaf!)
      assert.deepEqual([part[1], ...part.slice(4, -1)], expected)
    }
    const retinanet = await planDlio(trainingContext(...cases[0][0]))
    assert.deepEqual(retinanet.argv!.slice(1, 5), ['-n', '16', '-host', 'node01:8,node02:8'])
  })

  it('checkpointing default: llama3-8b on 8 ranks gives exactly the published v3.0 overrides.yaml (SAMSUNG)', async () => {
    const plan = await planDlio(checkpointingContext('llama3-8b', llama('8b', 32, 1, 1, 3, 4096, 14336, 32, 8), 8, 8, 1, '/mnt/mlps_nvme/checkpoint/llama3-8b'))
    const published = parseHydraOverrideList(readFileSync(join(repoRoot, 'fixtures/dlio/v3.0/samsung-llama3-8b-checkpointing/dlio_config/overrides.yaml'), 'utf8'))
    const task = dlioPart(plan.argv!, plan.leaf!).filter(arg => arg.startsWith('workload=') || arg.startsWith('++workload.'))
    assert.deepEqual(task, published.overrides.map(override => override.raw))
    assert.match(plan.leaf!, /\/checkpointing\/llama3-8b\/\d{8}_\d{6}$/)
  })

  it('checkpointing subset: fewer ranks than the CLOSED count add checkpoint.mode=subset and the data parallelism first', async () => {
    const plan = await planDlio(checkpointingContext('llama3-70b', llama('70b', 80, 8, 1, 3, 8192, 28672, 128, 8), 8, 64, 8, '/ckpt', 'h1,h2'))
    assert.deepEqual(dlioPart(plan.argv!, plan.leaf!).filter(arg => arg.startsWith('workload=') || arg.startsWith('++workload.')), [
      'workload=llama3_70b', '++workload.checkpoint.mode=subset', '++workload.model.parallelism.data=8',
      '++workload.checkpoint.num_checkpoints_read=10', '++workload.checkpoint.num_checkpoints_write=10', '++workload.checkpoint.checkpoint_folder=/ckpt/llama3-70b',
    ])
    assert.deepEqual(plan.argv!.slice(1, 9), ['-n', '8', '-host', 'h1:4,h2:4', '--bind-to', 'none', '--map-by', 'node'])
  })

  it('object storage: the storage keys are tool-injected (a user value wins), credentials forwarded by name only', async () => {
    process.env.AWS_SECRET_ACCESS_KEY = 'not-in-any-argv'
    try {
      const {workload, baseWorkload, workloadName, userOverrides} = resolveWorkload('unet3d', 'b200', ['storage.storage_options.storage_library=minio'])
      // the bucket comes from the data dir's URI, the path style from the site config's objectStorage
      const {toolInjected} = placeDataset(workload, 'unet3d', 's3://mlperf-bucket', {engine: 'dlio'})
      const ctx = dlioContext({
        benchmark: 'training', command: 'run', model: 'unet3d', workloadName, workload, baseWorkload, userOverrides, numProcesses: 2,
        toolInjected, objectStorage: {endpoint: 'http://10.0.0.5:9000', forcePathStyle: true},
      })
      const plan = await planDlio(ctx)
      assert.deepEqual(ctx.parameters.toolInjected, {
        'dataset.data_folder': 'unet3d', 'storage.storage_type': 's3', 'storage.storage_root': 'mlperf-bucket',
        'storage.storage_options.uri_scheme': 's3', 'storage.s3_force_path_style': true,
      })
      assert.deepEqual(dlioPart(plan.argv!, plan.leaf!).filter(arg => arg.startsWith('++workload.')), [
        '++workload.storage.storage_options.storage_library=minio', '++workload.dataset.data_folder=unet3d', '++workload.storage.storage_type=s3',
        '++workload.storage.storage_root=mlperf-bucket', '++workload.storage.storage_options.uri_scheme=s3', '++workload.storage.s3_force_path_style=True',
      ])
      assert.equal(plan.argv![plan.argv!.indexOf('AWS_SECRET_ACCESS_KEY') - 1], '-x')
      assert.equal(plan.env!.AWS_SECRET_ACCESS_KEY, '***')
      assert.ok(!JSON.stringify(plan).includes('not-in-any-argv'))
    } finally {
      delete process.env.AWS_SECRET_ACCESS_KEY
    }
  })

  it('a tool value takes the place of the user\'s value for the same key; other changes to the workload are passed too', () => {
    const base = llama('8b', 32, 1, 1, 3, 4096, 14336, 32, 8)
    const effective = structuredClone(base)
    effective.checkpoint!.time_between_checkpoints = 1
    effective.checkpoint!.checkpoint_folder = '/tool/value'
    assert.deepEqual(dlioOverrides({
      userOverrides: {'checkpoint.checkpoint_folder': '/user/value', 'checkpoint.fsync': false},
      toolInjected: {'checkpoint.num_checkpoints_read': 10, 'checkpoint.checkpoint_folder': '/tool/value'},
      baseWorkload: base, workload: effective,
    }), [['checkpoint.checkpoint_folder', '/tool/value'], ['checkpoint.fsync', false], ['checkpoint.num_checkpoints_read', 10], ['checkpoint.time_between_checkpoints', 1]])
  })

  it('writes values so hydra reads them back as given', () => {
    assert.equal(hydraValue(true), 'True')
    assert.equal(hydraValue(0.162), '0.162')
    assert.equal(hydraValue('/mnt/sut/unet3d'), '/mnt/sut/unet3d')
    assert.equal(hydraValue('/mnt/my data'), "'/mnt/my data'")
    assert.equal(hydraValue('a,b'), "'a,b'")
    assert.equal(hydraValue("it's"), "'it\\'s'")
    assert.equal(hydraValue('True'), "'True'", 'a string that looks like a boolean stays a string')
    assert.equal(hydraValue('42'), "'42'")
    assert.equal(hydraValue('${oc.env:HOME}'), "'\\${oc.env:HOME}'", 'no interpolation of user data')
    assert.throws(() => hydraValue(['a']), /list/)
  })

  it('the workload YAML shipped to DLIO is the catalogue workload, read back unchanged (dlrm: 200 parquet columns)', () => {
    const {baseWorkload, workloadName} = resolveWorkload('dlrm', 'b200', [])
    const text = workloadYaml(workloadName, baseWorkload)
    assert.match(text, /^# dlrm_b200: /)
    assert.deepEqual(parse(text), baseWorkload)
  })
})
