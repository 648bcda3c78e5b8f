import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {writeSystemFiles} from './system-files.js'

// A synthetic v3.0 submission in the layout mlps writes, valid under the
// 3.0-corrected rules, for mutation tests. It is synthetic because no real
// v3.0 results are in the reference fixtures; its numbers follow rules.md
// §1.1–1.2 (unet3d on b200: batch 7, record 146,600,628 B, AU ≥ 90 %;
// llama3-8b: 8 processes, 10 writes then 10 reads within 30 s).

const GIB = 2 ** 30
export const TRAINING = 'closed/acme/results/sys1/training/unet3d'
export const CHECKPOINTING = 'closed/acme/results/sys1/checkpointing/llama3-8b'
/** max(⌊5 × 128 GiB / 146,600,628⌋ = 4,687, 500 × 8 × 7 = 28,000) */
export const FILES = 28_000
const T0 = Date.UTC(2025, 0, 10, 10, 0, 0)
const RUN_SECONDS = 300

export function runLeaf(index: number): string {
  return `${TRAINING}/run/${stamp(T0 + 3_600_000 + index * (RUN_SECONDS + 20) * 1000)}`
}
export const DATASIZE_LEAF = `${TRAINING}/datasize/${stamp(T0)}`
export const DATAGEN_LEAF = `${TRAINING}/datagen/${stamp(T0 + 60_000)}`
export const WRITE_LEAF = `${CHECKPOINTING}/run/${stamp(T0 + 7_200_000)}`
export const READ_LEAF = `${CHECKPOINTING}/run/${stamp(T0 + 7_200_000 + 130_000)}`

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15)
}

function unet3dWorkload(files: number, dataFolder = '/mnt/sut/unet3d') {
  return {
    model: {name: 'unet3d', type: 'cnn', model_size: 499153191}, framework: 'pytorch',
    workflow: {generate_data: false, train: true, checkpoint: false},
    dataset: {data_folder: dataFolder, format: 'npz', num_samples_per_file: 1, record_length_bytes: 146600628, record_length_bytes_stdev: 68341808, num_files_train: files, num_subfolders_train: 3},
    reader: {data_loader: 'pytorch', batch_size: 7, read_threads: 8, file_shuffle: 'seed', sample_shuffle: 'seed'},
    train: {epochs: 5, computation_time: 0.162}, metric: {au: 0.9},
  }
}

function record(fields: Record<string, unknown>) {
  const startedAt = fields.startedAt as number
  const seconds = (fields.seconds as number | undefined) ?? 1
  delete fields.startedAt
  delete fields.seconds
  return {
    schemaVersion: 1, runId: `run-${startedAt}`, mlps: {version: '0.1.0', plugins: {}}, division: 'closed', status: 'COMPLETED',
    invocation: {argv: ['mlps'], cwd: '/', hostname: 'client1'}, commands: [], hosts: [{name: 'client1', slots: 4}, {name: 'client2', slots: 4}],
    timings: {startedAt: new Date(startedAt).toISOString(), endedAt: new Date(startedAt + seconds * 1000).toISOString(), durationSeconds: seconds, phases: {}},
    findings: [], category: 'CLOSED', artifacts: [], extra: {}, metrics: {},
    parameters: {effective: {}, userOverrides: {}, toolInjected: {}},
    ...fields,
  }
}

function write(root: string, file: string, value: unknown): void {
  mkdirSync(dirname(join(root, file)), {recursive: true})
  writeFileSync(join(root, file), JSON.stringify(value, null, 2))
}

/** Read, change and write back one JSON file of the tree. */
export function edit(root: string, file: string, change: (value: any) => void): void {
  const value = JSON.parse(readFileSync(join(root, file), 'utf8'))
  change(value)
  writeFileSync(join(root, file), JSON.stringify(value, null, 2))
}

/** the per-rank files DLIO writes beside its summary (engines.md §2.1), which a run leaf must hold */
function writeRankFiles(root: string, leaf: string, ranks: number): void {
  for (let rank = 0; rank < ranks; rank++) {
    write(root, `${leaf}/${rank}_per_epoch_stats.json`, {1: {start: '2025-01-10T11:00:00', end: '2025-01-10T11:01:00', duration: '60.00'}})
    write(root, `${leaf}/${rank}_output.json`, {hostname: rank < ranks / 2 ? 'client1' : 'client2'})
  }
}

export function writeValidTree(root: string): void {
  writeSystemFiles(root, 'closed/acme', 'sys1')
  write(root, `${DATASIZE_LEAF}/metadata.json`, record({
    benchmark: 'training', command: 'datasize', model: 'unet3d', accelerator: 'b200', startedAt: T0, numProcesses: 8,
    parameters: {effective: {...unet3dWorkload(FILES), dataset: {...unet3dWorkload(FILES).dataset, total_disk_bytes: FILES * 146600628}}, userOverrides: {}, toolInjected: {}},
    metrics: {numFilesTrain: FILES, totalMemoryBytes: 128 * GIB},
  }))
  write(root, `${DATAGEN_LEAF}/metadata.json`, record({
    benchmark: 'training', command: 'datagen', model: 'unet3d', startedAt: T0 + 60_000, seconds: 600, numProcesses: 8, engine: {name: 'dlio', closedEligible: true},
    parameters: {effective: {...unet3dWorkload(FILES), workflow: {generate_data: true, train: false, checkpoint: false}}, userOverrides: {'dataset.num_files_train': FILES}, toolInjected: {'dataset.data_folder': '/mnt/sut/unet3d'}},
  }))
  for (let index = 0; index < 6; index++) {
    const startedAt = T0 + 3_600_000 + index * (RUN_SECONDS + 20) * 1000
    const leaf = runLeaf(index)
    const au = [93.1, 92.8, 93.4, 92.9, 93.0]
    const samples = [70.1, 70.3, 69.9, 70.0, 70.2].map(value => value + index / 10)
    const metric = {
      train_au_percentage: au, train_au_mean_percentage: 93.04, train_au_meet_expectation: 'success', train_au_stdev_percentage: 0.2,
      train_throughput_samples_per_second: samples, train_throughput_mean_samples_per_second: 70.1 + index / 10, train_throughput_stdev_samples_per_second: 0.14,
      train_io_mean_MB_per_second: (70.1 + index / 10) * 146600628 / 2 ** 20, train_io_stdev_MB_per_second: 19.6,
    }
    write(root, `${leaf}/metadata.json`, record({
      benchmark: 'training', command: 'run', model: 'unet3d', accelerator: 'b200', startedAt, seconds: RUN_SECONDS, numProcesses: 8, engine: {name: 'dlio', closedEligible: true},
      parameters: {effective: unet3dWorkload(FILES), userOverrides: {'dataset.num_files_train': FILES, 'dataset.num_subfolders_train': 3, 'reader.read_threads': 8}, toolInjected: {'dataset.data_folder': '/mnt/sut/unet3d'}},
      metrics: metric,
    }))
    write(root, `${leaf}/summary.json`, {
      start: new Date(startedAt).toISOString(), end: new Date(startedAt + RUN_SECONDS * 1000).toISOString(), num_accelerators: 8, num_hosts: 2, hostname: 'client1',
      metric, num_files_train: FILES, num_files_eval: 0, num_samples_per_file: 1, host_memory_GB: [64, 64], epochs: 5,
    })
    write(root, `${leaf}/fs_separation.json`, {same_filesystem: false, method: 'link_exdev'})
    writeRankFiles(root, leaf, 8)
  }
  const checkpoint = (writes: number, reads: number) => ({
    model: {name: 'llama_8b', parallelism: {tensor: 1, pipeline: 1, data: 8}}, framework: 'pytorch',
    workflow: {generate_data: false, train: false, checkpoint: true},
    checkpoint: {checkpoint_folder: '/mnt/sut/ckpt', num_checkpoints_write: writes, num_checkpoints_read: reads, fsync: true, time_between_checkpoints: 5},
  })
  const checkpointRun = (startedAt: number, writes: number, reads: number, metrics: Record<string, number>, extra: Record<string, unknown>) => record({
    benchmark: 'checkpointing', command: 'run', model: 'llama3-8b', accelerator: 'b200', startedAt, seconds: 120, numProcesses: 8,
    hosts: [{name: 'client1', slots: 8}], engine: {name: 'dlio', closedEligible: true},
    parameters: {effective: checkpoint(writes, reads), userOverrides: {'checkpoint.checkpoint_folder': '/mnt/sut/ckpt', 'checkpoint.num_checkpoints_write': writes, 'checkpoint.num_checkpoints_read': reads}, toolInjected: {}},
    metrics: {checkpoint_size_GB: 104.705, totalMemoryBytes: 64 * GIB, ...metrics}, extra,
  })
  write(root, `${WRITE_LEAF}/metadata.json`, checkpointRun(T0 + 7_200_000, 10, 0, {save_checkpoint_io_mean_GB_per_second: 12.5, save_checkpoint_duration_mean_seconds: 8.4}, {}))
  write(root, `${READ_LEAF}/metadata.json`, checkpointRun(T0 + 7_200_000 + 130_000, 0, 10, {load_checkpoint_io_mean_GB_per_second: 20.1, load_checkpoint_duration_mean_seconds: 5.2}, {dlio: {cacheDropped: true}}))
  for (const [leaf, metric] of [[WRITE_LEAF, {save_checkpoint_io_mean_GB_per_second: 12.5, save_checkpoint_duration_mean_seconds: 8.4}], [READ_LEAF, {load_checkpoint_io_mean_GB_per_second: 20.1, load_checkpoint_duration_mean_seconds: 5.2}]] as const) {
    write(root, `${leaf}/fs_separation.json`, {same_filesystem: false, method: 'link_exdev'})
    write(root, `${leaf}/summary.json`, {num_accelerators: 8, num_hosts: 1, hostname: 'client1', metric: {...metric, checkpoint_size_GB: 104.705}, epochs: 0})
    writeRankFiles(root, leaf, 8)
  }
}
