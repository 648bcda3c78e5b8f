import assert from 'node:assert/strict'

import {DatasizeError, calculateDatasize, getWorkload} from '@mlps/plugin-training'
import {applyParams} from '../../../lib/run-options/src/workload-params.js'

const GiB = 2 ** 30

function size(model: string, accelerator: string, hostMemoryBytes: number[], accelerators = 8, params: string[] = []) {
  const {workload} = applyParams(getWorkload(model, accelerator), params)
  return calculateDatasize({model, accelerator, workload, accelerators, hostMemoryBytes})
}

// Worked examples of mlpstorage-spec.md §3.3: 8 accelerators, one client with 512 GiB.
// 5 × 512 GiB = 2,748,779,069,440 bytes in every case.
describe('training datasize', () => {
  it('unet3d_b200: the 500-step rule wins with 28,000 files ≈ 3,823 GiB', () => {
    const result = size('unet3d', 'b200', [512 * GiB])
    // by memory: 2,748,779,069,440 / 146,600,628 = 18,750.118 → ceil 18,751 (the reference floors to 18,750)
    assert.equal(result.filesByMemory, 18751)
    // by steps: 500 × 8 × 7 / 1 = 28,000
    assert.equal(result.filesBySteps, 28000)
    assert.equal(result.dominatedBy, 'steps')
    assert.equal(result.numFilesTrain, 28000)
    // 28,000 × 146,600,628 = 4,104,817,584,000 B = 3,822.91 GiB
    assert.equal(result.totalDiskBytes, 4104817584000n)
    assert.equal(Math.round(Number(result.totalDiskBytes) / GiB), 3823)
    // ceil(28,000 / 10,000) = 3 (the reference's hint would say int(2.8) = 2, i.e. 14,000 per folder)
    assert.equal(result.numSubfoldersTrain, 3)
    assert.equal(result.numSubfoldersTrainSource, 'files-per-folder')
    assert.equal(result.recordLengthBytes, 146600628)
    assert.equal(result.recordLengthSource, 'record_length_bytes')
    assert.equal(result.fileBytes, 146600628)
    assert.equal(result.totalMemoryBytes, 549755813888n)
    assert.equal(result.accelerators, 8)
  })

  it('retinanet_b200: the memory rule wins with 8,511,285 files ≈ 2,560 GiB', () => {
    const result = size('retinanet', 'b200', [512 * GiB])
    // 2,748,779,069,440 / 322,957 = 8,511,284.9991 → ceil 8,511,285 (reference floor: 8,511,284)
    assert.equal(result.filesByMemory, 8511285)
    // 500 × 8 × 24 = 96,000
    assert.equal(result.filesBySteps, 96000)
    assert.equal(result.dominatedBy, 'memory')
    assert.equal(result.numFilesTrain, 8511285)
    // 8,511,285 × 322,957 = 2,748,779,069,745 B: just over 5 × memory, where the reference's floor fell 322,652 B short
    assert.equal(result.totalDiskBytes, 2748779069745n)
    // ceil(8,511,285 / 10,000) = 852 folders of ≤ 10,000 files
    assert.equal(result.numSubfoldersTrain, 852)
  })

  it('flux_b200: memory wins with 4,409 files; the record length comes from the columns', () => {
    const result = size('flux', 'b200', [512 * GiB])
    // 4 × (524,328 + 409 + 8,232 + 8,232 + 7) = 2,164,832 B per sample, × 288 = 623,471,616 B per file
    assert.equal(result.recordLengthBytes, 2164832)
    assert.equal(result.recordLengthSource, 'parquet columns')
    assert.equal(result.referenceToolRecordLengthBytes, 2164832, 'all float32: both width tables agree')
    assert.equal(result.fileBytes, 623471616)
    // 2,748,779,069,440 / 623,471,616 = 4,408.83 → ceil 4,409 (reference floor: 4,408)
    assert.equal(result.filesByMemory, 4409)
    // 500 × 8 × 48 / 288 = 666.67 → ceil 667 (reference floor: 666)
    assert.equal(result.filesBySteps, 667)
    assert.equal(result.numFilesTrain, 4409)
    // 4,409 × 623,471,616 = 2,748,886,354,944 B ≈ 2,560.1 GiB
    assert.equal(result.totalDiskBytes, 2748886354944n)
    assert.equal(result.numSubfoldersTrain, 0)
  })

  it('dlrm_b200: memory wins with 766 files; real dtype widths give 761 B per sample, not 996', () => {
    const result = size('dlrm', 'b200', [512 * GiB])
    // 50 float16 × 2 + 56 float32 × 4 + 49 float64 × 8 + 45 int8 × 1 = 100 + 224 + 392 + 45 = 761
    assert.equal(result.recordLengthBytes, 761)
    // the reference tool's widths count float16 and int8 as 4: 200 + 224 + 392 + 180 = 996
    assert.equal(result.referenceToolRecordLengthBytes, 996)
    // 4,718,592 × 761 = 3,590,848,512 B per file
    assert.equal(result.fileBytes, 3590848512)
    // 2,748,779,069,440 / 3,590,848,512 = 765.50 → ceil 766 (reference floor: 765)
    assert.equal(result.filesByMemory, 766)
    // 500 × 8 × 12,288 / 4,718,592 = 10.42 → ceil 11 (the reference's 13 used batch 16,384 and floor)
    assert.equal(result.filesBySteps, 11)
    assert.equal(result.numFilesTrain, 766)
    // 766 × 3,590,848,512 = 2,750,589,960,192 B ≈ 2,561.7 GiB
    assert.equal(result.totalDiskBytes, 2750589960192n)
  })

  it('sums the memory of hosts of different sizes', () => {
    const result = size('unet3d', 'b200', [512 * GiB, 256 * GiB])
    // 5 × 768 GiB = 4,123,168,604,160 B / 146,600,628 = 28,125.18 → 28,126 > 28,000 steps.
    // host0 × 2 hosts would wrongly give 5 × 1,024 GiB → 37,501 files.
    assert.equal(result.totalMemoryBytes, 824633720832n)
    assert.equal(result.filesByMemory, 28126)
    assert.equal(result.dominatedBy, 'memory')
    assert.equal(result.numFilesTrain, 28126)
    assert.equal(result.totalDiskBytes, 28126n * 146600628n)
    assert.equal(result.numSubfoldersTrain, 3)
  })

  it('accepts host memory as bigint', () => {
    const result = calculateDatasize({
      model: 'unet3d', accelerator: 'b200', workload: getWorkload('unet3d', 'b200'), accelerators: 8,
      hostMemoryBytes: [512n * 1024n ** 3n, 256n * 1024n ** 3n],
    })
    assert.equal(result.numFilesTrain, 28126)
  })

  it('treats a fractional record length as the exact decimal it is (resnet50_a100)', () => {
    const result = size('resnet50', 'a100', [512 * GiB])
    // 1,251 × 114,660.07 = 143,439,747.57 B per file; 2,748,779,069,440 / 143,439,747.57 = 19,163.30 → 19,164
    assert.equal(result.filesByMemory, 19164)
    // 500 × 8 × 400 / 1,251 = 1,278.98 → 1,279
    assert.equal(result.filesBySteps, 1279)
    // 19,164 × 143,439,747.57 = 2,748,879,322,431.48 → rounded up to 2,748,879,322,432 B
    assert.equal(result.totalDiskBytes, 2748879322432n)
    assert.equal(result.fileBytes, 143439747.57)
  })

  it('stays exact past 2^53 bytes of memory', () => {
    // 4,096 hosts × 2 TiB = 2^53 bytes; 5× that is 45,035,996,273,704,960 B / 146,600,628 = 307,201,932.82 → ceil
    const result = size('unet3d', 'b200', Array.from({length: 4096}, () => 2048 * GiB))
    assert.equal(result.totalMemoryBytes, 2n ** 53n)
    assert.equal(result.filesByMemory, 307201933)
    assert.equal(result.totalDiskBytes, 307201933n * 146600628n)
  })

  it('keeps a subfolder count the user set with --param, including 0', () => {
    const flat = size('retinanet', 'b200', [512 * GiB], 8, ['dataset.num_subfolders_train=0'])
    assert.equal(flat.numSubfoldersTrain, 0)
    assert.equal(flat.numSubfoldersTrainSource, 'param')
    const sharded = size('unet3d', 'b200', [512 * GiB], 8, ['dataset.num_subfolders_train=7'])
    assert.equal(sharded.numSubfoldersTrain, 7)
  })

  it('does not suggest subfolders at exactly 10,000 files, and does at 10,001', () => {
    // unet3d on b200 with steps dominating: 500 × accelerators × 7 files; pick batch sizes that land on the edge
    const at = size('unet3d', 'b200', [1 * GiB], 1, ['reader.batch_size=20'])
    assert.equal(at.numFilesTrain, 10000)
    assert.equal(at.numSubfoldersTrain, 0)
    const over = size('cosmoflow', 'h100', [1 * GiB], 10001)
    // cosmoflow: batch 1, 1 sample per file → 500 × 10,001 = 5,000,500 files by steps
    assert.equal(over.numFilesTrain, 5000500)
    assert.equal(over.numSubfoldersTrain, 501)
  })

  it('rejects input it cannot size', () => {
    const workload = getWorkload('unet3d', 'b200')
    const base = {model: 'unet3d', accelerator: 'b200', workload, accelerators: 8, hostMemoryBytes: [512 * GiB]}
    assert.throws(() => calculateDatasize({...base, hostMemoryBytes: []}), DatasizeError)
    assert.throws(() => calculateDatasize({...base, hostMemoryBytes: [0]}), /host 0 memory must be above 0 bytes/)
    assert.throws(() => calculateDatasize({...base, hostMemoryBytes: [1.5]}), /whole number of bytes/)
    assert.throws(() => calculateDatasize({...base, accelerators: 0}), /the number of accelerators must be a whole number above 0/)
    assert.throws(() => calculateDatasize({...base, workload: getWorkload('unet3d', 'datagen')}), (error: unknown) =>
      error instanceof DatasizeError
      && error.message === 'reader.batch_size must be a whole number above 0, got undefined'
      && /not the datagen workload/.test(error.fix ?? ''))
  })
})
