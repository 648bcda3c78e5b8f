import {generateTrainingData} from '../plugins/engine-native/src/training/datagen.ts'
const workload: any = {model:{name:'unet3d'}, framework:'pytorch', workflow:{generate_data:true,train:false,checkpoint:false},
  dataset:{data_folder:'/tmp/dg-data', format: process.argv[2] ?? 'npz', num_files_train: Number(process.argv[3] ?? 64), num_samples_per_file:1, record_length_bytes: Number(process.argv[4] ?? 4<<20), record_length_bytes_stdev: 1<<20, num_subfolders_train: 3}}
for (const c of (process.argv[5] ?? '1,2').split(',').map(Number)) {
  const {rmSync} = await import('node:fs'); rmSync('/tmp/dg-data', {recursive:true, force:true})
  const r = await generateTrainingData({workload, concurrency: c})
  console.log('conc', c, r.filesWritten, (r.bytesWritten/2**20/r.seconds).toFixed(0), 'MiB/s', r.seconds.toFixed(2))
}
const r2 = await generateTrainingData({workload}); console.log('rerun', r2.filesWritten, r2.filesKept)
