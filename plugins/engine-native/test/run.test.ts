import assert from 'node:assert/strict'
import {existsSync, readFileSync, statSync, truncateSync} from 'node:fs'
import {join} from 'node:path'
import {parseDlioSummary} from '@mlps/result-formats'

import {generateTrainingData, planFileDimensions, runTraining, trainFilePath, type TrainingProgress} from '@mlps/plugin-engine-native'
import {scratchSpace, smallDlrm, smallUnet3d} from '../../../test/engine-native/workloads.js'

interface RankOutput {
  [epoch: string]: unknown
}
interface EpochOutput {
  load: {block1: number[]}
  proc: {block1: number[]}
  compute: {block1: number[]}
  au: {block1: number}
  throughput: {block1: number}
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
const meanOf = (values: number[]) => sum(values) / values.length

describe('native engine training run', () => {
  const scratch = scratchSpace()
  after(scratch.remove)
  const dataFolder = scratch.dir('run-data')
  const workload = smallUnet3d(dataFolder)
  before(async () => {
    await generateTrainingData({workload, concurrency: 2})
  })

  it('runs 2 accelerators × 2 epochs and writes DLIO outputs whose metrics follow from the per-step timings', async () => {
    const outputDir = scratch.dir('run-out')
    const events: TrainingProgress[] = []
    const result = await runTraining({workload, outputDir, accelerators: 2, hostname: 'node-a', onProgress: p => events.push(p)})
    const stepsPerEpoch = Math.floor((32 * 1) / 4 / 2)
    assert.equal(result.stepsPerEpoch, stepsPerEpoch)
    const summaryText = readFileSync(join(outputDir, 'summary.json'), 'utf8')
    const summary = parseDlioSummary(summaryText)
    assert.deepEqual(JSON.parse(summaryText), result.summary)
    assert.deepEqual(Object.keys(result.summary), [
      'start', 'num_accelerators', 'num_hosts', 'hostname', 'metric', 'num_files_train', 'num_files_eval', 'num_samples_per_file',
      'host_cpu_count', 'host_processor_name', 'potential_caching', 'host_cpuinfo', 'host_meminfo', 'host_memory_GB',
      'data_size_per_host_GB', 'epochs', 'end', 'engine',
    ])
    assert.match(result.summary.start, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/)
    assert.deepEqual([summary.num_accelerators, summary.num_hosts, summary.hostname, summary.epochs], [2, 1, 'node-a', 2])
    assert.deepEqual(summary.potential_caching, [1], 'an 8 MiB dataset fits in host memory')
    assert.equal(result.potentialCaching, true)
    assert.equal(summary.data_size_per_host_GB, (32 * 262144) / 2 ** 30)

    // Recompute AU and throughput from <rank>_output.json exactly as engines.md §2.7 defines them.
    const rankAu: number[][] = []
    const rankThroughput: number[][] = []
    for (const rank of [0, 1]) {
      const output = JSON.parse(readFileSync(join(outputDir, `${rank}_output.json`), 'utf8')) as RankOutput
      const stats = JSON.parse(readFileSync(join(outputDir, `${rank}_per_epoch_stats.json`), 'utf8'))
      assert.deepEqual(Object.keys(stats), ['1', '2'])
      rankAu.push([])
      rankThroughput.push([])
      for (const epoch of ['1', '2']) {
        const timings = output[epoch] as EpochOutput
        const {load, proc, compute} = {load: timings.load.block1, proc: timings.proc.block1, compute: timings.compute.block1}
        assert.deepEqual([load.length, proc.length, compute.length], [stepsPerEpoch, stepsPerEpoch, stepsPerEpoch])
        for (let s = 0; s < stepsPerEpoch; s++) {
          assert.ok(compute[s] >= 0.01, `compute ${compute[s]} s is at least the requested 0.01 s`)
          assert.ok(proc[s] >= load[s] + compute[s] - 1e-9, 'proc spans the load and the compute of the step')
        }
        // block wall time = Σ proc + the barrier waits, so total_time ≥ Σ proc[1..]
        const auValue = timings.au.block1
        const totalCompute = sum(compute.slice(1))
        const totalTime = (100 * totalCompute) / auValue
        assert.ok(totalTime >= sum(proc.slice(1)) - 1e-9)
        assert.ok(Math.abs(timings.throughput.block1 - ((stepsPerEpoch - 1) / totalTime) * 4) < 1e-9, 'v3 throughput: (steps − 1)/total_time · batch')
        rankAu[rank].push(auValue)
        rankThroughput[rank].push(timings.throughput.block1)
        const block = stats[epoch].block1
        assert.match(block.duration, /^\d+\.\d\d$/, 'durations are strings with two decimals')
        assert.match(stats[epoch].duration, /^\d+\.\d\d$/)
      }
    }
    const metric = result.summary.metric
    assert.deepEqual(metric.train_au_percentage, [0, 1].map(e => (rankAu[0][e] + rankAu[1][e]) / 2), 'epoch AU = mean over ranks')
    assert.deepEqual(metric.train_throughput_samples_per_second, [0, 1].map(e => rankThroughput[0][e] + rankThroughput[1][e]), 'epoch throughput = sum over ranks')
    assert.equal(metric.train_au_mean_percentage, meanOf(metric.train_au_percentage))
    const throughputMean = meanOf(metric.train_throughput_samples_per_second)
    assert.equal(metric.train_throughput_mean_samples_per_second, throughputMean)
    assert.equal(metric.train_io_mean_MB_per_second, (throughputMean * 262144) / 2 ** 20)
    const spread = Math.abs(metric.train_au_percentage[0] - metric.train_au_percentage[1]) / 2
    assert.ok(Math.abs(metric.train_au_stdev_percentage - spread) < 1e-9, 'population stdev of two epochs = half their difference')
    assert.equal(metric.train_au_meet_expectation, metric.train_au_mean_percentage >= 90 ? 'success' : 'fail')

    const log = readFileSync(join(outputDir, 'dlio.log'), 'utf8')
    assert.match(log, /\[OUTPUT\] \S+ Running DLIO \[Training\] with 2 process\(es\)/)
    assert.match(log, /\[OUTPUT\] \S+ Starting epoch 2: 4 steps expected/)
    assert.match(log, /\[OUTPUT\] \S+ Epoch 1 - Block 1 \[Training\] Accelerator Utilization \[AU\] \(%\): \d+\.\d{4}/)
    assert.ok(log.includes(`[METRIC] Training Accelerator Utilization [AU] (%): ${metric.train_au_mean_percentage.toFixed(4)} (${metric.train_au_stdev_percentage.toFixed(4)})`))
    assert.ok(log.includes(`[METRIC] Training I/O Throughput (MiB/second): ${metric.train_io_mean_MB_per_second.toFixed(4)}`))

    assert.ok(events.length >= 2)
    const last = events.at(-1) as TrainingProgress
    assert.deepEqual([last.epoch, last.epochs, last.step, last.stepsPerEpoch, last.etaSeconds], [2, 2, 4, 4, 0])
    const {dim1, dim2} = planFileDimensions(workload.dataset)
    const xArrayBytes = sum(Array.from(dim1, (d, i) => d * dim2[i]))
    assert.equal(result.bytesRead, 2 * xArrayBytes, 'each epoch reads every file\'s x array once')
  })

  it('reads whole npz files past the page cache with reader.odirect, and says it has no effect on other formats', async () => {
    const direct = {...workload, reader: {...workload.reader!, odirect: true}, train: {...workload.train!, epochs: 1}}
    const result = await runTraining({workload: direct, outputDir: scratch.dir('run-odirect'), accelerators: 2})
    const fileBytes = sum(Array.from({length: 32}, (_, i) => statSync(trainFilePath(workload.dataset, dataFolder, i)).size))
    assert.equal(result.bytesRead, fileBytes, 'DLIO\'s O_DIRECT reader reads each file whole')
    assert.doesNotMatch(readFileSync(result.files.dlioLog, 'utf8'), /reader\.odirect has no effect/)
    const tfrecordData = scratch.dir('run-odirect-tfrecord')
    const tfrecord = smallUnet3d(tfrecordData, {format: 'tfrecord', num_files_train: 4})
    await generateTrainingData({workload: tfrecord})
    const buffered = await runTraining({workload: {...tfrecord, reader: {...tfrecord.reader!, odirect: true}, train: {...tfrecord.train!, epochs: 1}}, outputDir: scratch.dir('run-odirect-tfrecord-out'), accelerators: 1})
    assert.match(readFileSync(buffered.files.dlioLog, 'utf8'), /WARNING.*reader\.odirect has no effect on tfrecord files: DLIO's O_DIRECT readers are for npz and npy/)
  })

  it('runs a parquet (dlrm-like) workload with a 0.375 ms compute, reading row groups', async () => {
    const parquetData = scratch.dir('run-parquet')
    const dlrm = smallDlrm(parquetData)
    await generateTrainingData({workload: dlrm, concurrency: 2})
    const outputDir = scratch.dir('run-parquet-out')
    const result = await runTraining({workload: dlrm, outputDir, accelerators: 2})
    assert.equal(result.stepsPerEpoch, Math.floor((4 * 2048) / 512 / 2))
    const output = JSON.parse(readFileSync(join(outputDir, '0_output.json'), 'utf8'))
    for (const seconds of output['1'].compute.block1) assert.ok(seconds >= 0.000375, `compute ${seconds}`)
    assert.equal(result.summary.metric.train_io_mean_MB_per_second, (result.summary.metric.train_throughput_mean_samples_per_second * 15) / 2 ** 20)
    // every row group once per epoch, float16 + float64 columns only, plus one footer per file and reader
    assert.ok(result.bytesRead >= 4 * 2048 * (2 + 8) && result.bytesRead < 4 * 2048 * (2 + 8 + 4 + 1), `bytes read ${result.bytesRead}`)
  })

  it('explains a missing or incomplete dataset: folder, expected vs found, and the fix', async () => {
    const empty = scratch.dir('run-missing')
    await assert.rejects(runTraining({workload: smallUnet3d(empty), outputDir: scratch.dir('o'), accelerators: 1}), {
      name: 'DatasetNotReadyError',
      message: new RegExp(`training dataset folder ${join(empty, 'train')} does not exist: expected 32 \\.npz files\\. Generate it first`),
    })
    const more = smallUnet3d(dataFolder, {num_files_train: 40})
    await assert.rejects(runTraining({workload: more, outputDir: scratch.dir('o'), accelerators: 1}), {
      message: new RegExp(`not enough training files in ${join(dataFolder, 'train')}: expected 40 \\.npz files, found 32\\. Generate it first`),
    })
  })

  it('rejects files shorter than planned before starting', async () => {
    const copy = scratch.dir('run-short')
    const short = smallUnet3d(copy, {num_files_train: 8})
    await generateTrainingData({workload: short})
    const victim = trainFilePath(short.dataset, copy, 3)
    truncateSync(victim, 4096)
    await assert.rejects(runTraining({workload: short, outputDir: scratch.dir('o'), accelerators: 1}), {
      name: 'DatasetNotReadyError',
      message: /1 training file\(s\) are shorter than expected, e\.g\. .*img_3_of_8\.npz \(4096 of \d+ bytes\)\. Re-run datagen/,
    })
    // a JPEG dataset has no DLIO-comparable planned size: the reader notices the cut
    const jpeg = smallUnet3d(copy, {format: 'jpeg', num_files_train: 8})
    await generateTrainingData({workload: jpeg})
    const cut = trainFilePath(jpeg.dataset, copy, 0)
    truncateSync(cut, 5000)
    await assert.rejects(runTraining({workload: jpeg, outputDir: scratch.dir('o'), accelerators: 1}), /img_0_of_8\.jpeg looks truncated/)
  })

  it('aborts within a second: threads stopped, AbortError, no summary.json', async () => {
    const outputDir = scratch.dir('run-abort')
    const slow = {...workload, train: {epochs: 3, computation_time: 5}}
    const controller = new AbortController()
    let abortedAt = 0
    const run = runTraining({
      workload: slow,
      outputDir,
      accelerators: 2,
      signal: controller.signal,
      onProgress: () => {
        if (!abortedAt) {
          abortedAt = performance.now()
          controller.abort()
        }
      },
    })
    await assert.rejects(run, {name: 'AbortError'})
    const stopMs = performance.now() - abortedAt
    assert.ok(stopMs < 1000, `stopped ${stopMs.toFixed(0)} ms after the abort`)
    assert.equal(existsSync(join(outputDir, 'summary.json')), false)
    assert.match(readFileSync(join(outputDir, 'dlio.log'), 'utf8'), /\[ERROR\] .* outputs are incomplete/)
  })

  it('drops the page cache before each epoch, or says why it could not', async () => {
    const result = await runTraining({workload: {...workload, train: {epochs: 2, computation_time: 0.001}}, outputDir: scratch.dir('o'), accelerators: 1, dropCachesBeforeEpoch: true})
    const {droppedBeforeEpochs, failure} = result.dropCaches
    if (failure === undefined) assert.equal(droppedBeforeEpochs, 2)
    else {
      assert.equal(droppedBeforeEpochs, 0)
      assert.match(failure, process.getuid?.() === 0 ? /could not drop the page cache/ : /not running as root/)
    }
  })
})
