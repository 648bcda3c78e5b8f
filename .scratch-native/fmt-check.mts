import fs from 'node:fs'
import {formatForDataset} from '/work/main/plugins/engine-native/src/formats/format-for-dataset.ts'
import {parquetReadObjects, parquetMetadata} from '/work/main/node_modules/hyparquet/src/node.js'
const scratch = Buffer.alloc(1<<20)
const cols = [
 {name:'f16', dtype:'float16', size:1, read:true},{name:'f32', dtype:'float32', size:1, read:false},{name:'i8', dtype:'int8', size:1, read:true},
 {name:'vec', dtype:'float32', size:7, read:true},{name:'d', dtype:'float64', size:1, read:false}]
for (const ds of [
  {data_folder:'/tmp/f', format:'npz', num_files_train:4, num_samples_per_file:1, record_length_bytes: 65536, record_length_bytes_stdev: 8000},
  {data_folder:'/tmp/f', format:'tfrecord', num_files_train:4, num_samples_per_file:3, record_length_bytes: 65536, record_length_bytes_stdev: 8000},
  {data_folder:'/tmp/f', format:'jpeg', num_files_train:4, num_samples_per_file:1, record_length_bytes: 65536},
  {data_folder:'/tmp/f', format:'parquet', num_files_train:4, num_samples_per_file:1000, record_length_bytes: 761, parquet:{columns: cols, row_group_size: 300, read_mode:'row_group'}},
] as any[]) {
  const f = formatForDataset(ds)
  for (let i = 0; i < 2; i++) {
    const p = `/tmp/fmt_${i}.${f.extension}`; const fd = fs.openSync(p, 'w')
    let t = performance.now(); f.writeFile(fd, i, scratch); fs.closeSync(fd)
    const r = f.createSampleReader(scratch); let n = 0
    for (let s = 0; s < ds.num_samples_per_file; s++) n += r.readSample(p, s)
    r.close()
    console.log(ds.format, i, fs.statSync(p).size, f.plannedFileSize(i), 'read', n, (performance.now()-t).toFixed(1))
  }
}
const buf = fs.readFileSync('/tmp/fmt_0.parquet'); const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset+buf.length)
const md = parquetMetadata(ab); console.log(md.row_groups.map(g => Number(g.num_rows)), md.schema.map(s=>s.name+':'+s.type))
const rows = await parquetReadObjects({file: ab, rowStart: 0, rowEnd: 2}); console.log(rows)
