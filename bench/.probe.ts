import {mkdirSync, rmSync} from 'node:fs'
import {generateTrainingData} from '../plugins/engine-native/dist/training/datagen.js'
import {runTraining} from '../plugins/engine-native/dist/training/run.js'
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6 }
const dataFolder = '/work/wt/perf/.bench-tmp/probe/data'
const wl = (steps?: number) => ({model: {name: 'unet3d', type: 'cnn'}, framework: 'pytorch', workflow: {generate_data: false, train: true, checkpoint: false},
  dataset: {data_folder: dataFolder, format: 'npz', num_files_train: 16, num_samples_per_file: 1, record_length_bytes: 1 << 20, record_length_bytes_stdev: 0},
  reader: {data_loader: 'pytorch', batch_size: 1, read_threads: 4, file_shuffle: 'seed', sample_shuffle: 'seed'},
  train: {epochs: 1, computation_time: 0, ...(steps ? {total_training_steps: steps} : {})}, metric: {au: 0.9}}) as any
mkdirSync(dataFolder, {recursive: true})
await generateTrainingData({workload: wl(), concurrency: 2})
for (let i = 0; i < 3; i++) {
  const c = cpu(), t = performance.now()
  await runTraining({workload: wl(1), outputDir: '/work/wt/perf/.bench-tmp/probe/out', accelerators: 2})
  console.log('startup-only run cpu', (cpu() - c).toFixed(3), 'wall', ((performance.now() - t) / 1000).toFixed(3))
}
rmSync('/work/wt/perf/.bench-tmp/probe', {recursive: true, force: true})
