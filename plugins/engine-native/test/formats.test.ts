import assert from 'node:assert/strict'
import {closeSync, openSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import zlib from 'node:zlib'
import {parquetMetadata, parquetReadObjects} from 'hyparquet'

import {crc32c, formatForDataset, maskedCrc32c, MersenneTwister, NpzDirectSampleReader, pageAlignedBuffer, parseCentralDirectory, parseEndOfCentralDirectory, parseNpyHeader, planFileDimensions, trainFilePath} from '@mlps/plugin-engine-native'
import {scratchSpace, smallDlrm, smallUnet3d} from '../../../test/engine-native/workloads.js'

const ioBuffer = Buffer.allocUnsafeSlow(1 << 20)

async function writeOne(workload: ReturnType<typeof smallUnet3d>, index: number, folder: string): Promise<string> {
  const format = await formatForDataset(workload.dataset)
  const file = join(folder, `file_${index}.${format.extension}`)
  const fd = openSync(file, 'w')
  format.writeFile(fd, index, ioBuffer)
  closeSync(fd)
  assert.equal(statSync(file).size, format.plannedFileSize(index), 'written size equals the planned size')
  return file
}

describe('native engine formats', () => {
  const scratch = scratchSpace()
  after(scratch.remove)
  const folder = scratch.dir('formats')

  it('reproduces numpy: MT19937 doubles, legacy normal draws and shuffles', () => {
    const doubles = new MersenneTwister(10)
    assert.deepEqual([doubles.nextDouble(), doubles.nextDouble()], [0.771320643266746, 0.0207519493594015])
    // np.random.seed(10); np.random.normal(12107, 68341808/2/sqrt(146600628), 4) — unet3d's dimension draws
    const dims = planFileDimensions(smallUnet3d('/x', {num_files_train: 2, record_length_bytes: 146600628, record_length_bytes_stdev: 68341808}).dataset)
    assert.deepEqual([dims.dim1[0], dims.dim2[0], dims.dim1[1], dims.dim2[1]], [15865, 14125, 7745, 12083])
    // np.random.seed(124); l = list(range(10)); np.random.shuffle(l)
    assert.deepEqual(new MersenneTwister(124).shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), [6, 8, 3, 5, 4, 0, 9, 2, 7, 1])
  })

  it('names files like DLIO, round-robin into zero-padded subfolders', () => {
    const dataset = smallUnet3d('/data', {num_files_train: 120, num_subfolders_train: 12}).dataset
    assert.equal(trainFilePath(dataset, '/data', 7), '/data/train/07/img_007_of_120.npz')
    assert.equal(trainFilePath(dataset, '/data', 19), '/data/train/07/img_019_of_120.npz')
    assert.equal(trainFilePath({...dataset, num_subfolders_train: 0, file_prefix: 'x'}, '/d', 3), '/d/train/x_003_of_120.npz')
  })

  it('writes npz as a stored zip with valid NPY members and CRCs, and reads exactly the x array', async () => {
    const workload = smallUnet3d(folder, {num_samples_per_file: 2})
    const file = await writeOne(workload, 0, folder)
    const bytes = readFileSync(file)
    const directory = parseEndOfCentralDirectory(bytes.subarray(bytes.length - 22))
    const entries = parseCentralDirectory(bytes.subarray(directory.offset, directory.offset + directory.size))
    assert.deepEqual(entries.map(e => [e.name, e.method]), [['x.npy', 0], ['y.npy', 0]])
    const {dim1, dim2} = planFileDimensions(workload.dataset)
    for (const entry of entries) {
      const start = entry.localHeaderOffset + 30 + bytes.readUInt16LE(entry.localHeaderOffset + 26) + bytes.readUInt16LE(entry.localHeaderOffset + 28)
      const member = bytes.subarray(start, start + entry.size)
      assert.equal(zlib.crc32(member), entry.crc32, `${entry.name} CRC`)
      assert.equal(bytes.readUInt32LE(entry.localHeaderOffset + 14), entry.crc32, `${entry.name} local header CRC`)
      const header = parseNpyHeader(member)
      assert.equal(header.headerBytes % 64, 0, 'data aligned to 64 bytes as numpy writes it')
      assert.equal(header.headerBytes + header.dataBytes, entry.size)
      if (entry.name === 'x.npy') assert.deepEqual([header.descr, header.shape], ['|u1', [dim1[0], dim2[0], 2]])
      else assert.deepEqual([header.descr, header.shape, [...member.subarray(header.headerBytes)].every(b => b === 0)], ['<i8', [2], true])
    }
    // np.savez of the same shapes: 498 bytes of zip/npy framing around x, plus 8 bytes per label
    assert.equal(bytes.length, dim1[0] * dim2[0] * 2 + 498 + 8)
    const reader = (await formatForDataset(workload.dataset)).createSampleReader(ioBuffer)
    assert.equal(reader.readSample(file, 1), dim1[0] * dim2[0] * 2, 'a sample read loads the whole x array, like np.load(f)["x"]')
  })

  it('reads npz with O_DIRECT (reader.odirect) whole, through a page-aligned buffer, and checks its structure', async () => {
    const workload = smallUnet3d(folder, {num_samples_per_file: 2, record_length_bytes: 1 << 20, record_length_bytes_stdev: 0})
    const file = await writeOne(workload, 0, folder)
    const size = statSync(file).size
    const direct = (await formatForDataset(workload.dataset)).createSampleReader(pageAlignedBuffer(1 << 20), {direct: true})
    assert.equal(direct.readSample(file, 1), size, 'DLIO\'s O_DIRECT npz reader reads the whole file, then np.loads it')
    // 16 bytes past a page, where malloc usually puts a Buffer (not always: the address is malloc's choice), the
    // kernel refuses it under O_DIRECT
    const misaligned = pageAlignedBuffer((1 << 20) + 4096).subarray(16, 16 + (1 << 20))
    assert.throws(() => (new NpzDirectSampleReader(misaligned)).readSample(file), {code: 'EINVAL'})
    const cut = join(folder, 'cut.npz')
    writeFileSync(cut, readFileSync(file).subarray(0, size - 40))
    assert.throws(() => direct.readSample(cut, 0), /no zip end-of-central-directory record/)
    // a valid zip behind 8 KiB of something else (as a self-extracting archive is): every offset moved along
    const moved = join(folder, 'moved.npz')
    const shifted = Buffer.concat([Buffer.alloc(8192), readFileSync(file)])
    const end = shifted.length - 22
    shifted.writeUInt32LE(shifted.readUInt32LE(end + 16) + 8192, end + 16)
    for (const entry of [0, 1]) {
      const at = shifted.readUInt32LE(end + 16) + entry * (46 + 'x.npy'.length)
      shifted.writeUInt32LE(shifted.readUInt32LE(at + 42) + 8192, at + 42)
    }
    writeFileSync(moved, shifted)
    assert.throws(() => direct.readSample(moved, 0), /x\.npy is not at the start of the file, as np\.savez writes it; read it without reader\.odirect/)
  })

  it('frames TFRecords with valid masked CRC32C and walks them', async () => {
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283, 'CRC-32C check value')
    const workload = smallUnet3d(folder, {format: 'tfrecord', num_samples_per_file: 3})
    const file = await writeOne(workload, 1, folder)
    const bytes = readFileSync(file)
    const {dim1, dim2} = planFileDimensions(workload.dataset)
    let at = 0
    let records = 0
    while (at < bytes.length) {
      const length = Number(bytes.readBigUInt64LE(at))
      assert.equal(bytes.readUInt32LE(at + 8), maskedCrc32c(bytes, at, at + 8), 'length CRC')
      assert.equal(bytes.readUInt32LE(at + 12 + length), maskedCrc32c(bytes, at + 12, at + 12 + length), 'data CRC')
      assert.ok(length > dim1[1] * dim2[1] && length < dim1[1] * dim2[1] + 64, 'an Example around the d1·d2 image')
      at += 12 + length + 4
      records++
    }
    assert.equal(at, bytes.length)
    assert.equal(records, 3)
    const reader = (await formatForDataset(workload.dataset)).createSampleReader(ioBuffer)
    const perRecord = bytes.length / 3
    assert.equal(reader.readSample(file, 0), perRecord)
    assert.equal(reader.readSample(file, 2), perRecord + 12, 'skipping record 1 reads only its header')
    reader.close()
  })

  it('writes JPEG files with SOI, JFIF APP0 and EOI around random segments', async () => {
    const workload = smallUnet3d(folder, {format: 'jpeg', record_length_bytes: 322957, record_length_bytes_stdev: 0})
    const file = await writeOne(workload, 0, folder)
    const bytes = readFileSync(file)
    assert.equal(bytes.length, 568 * 568, 'DLIO draws ⌊√322957⌋² pixels')
    assert.deepEqual([...bytes.subarray(0, 4)], [0xff, 0xd8, 0xff, 0xe0])
    assert.equal(bytes.toString('latin1', 6, 11), 'JFIF\0')
    assert.deepEqual([...bytes.subarray(-2)], [0xff, 0xd9])
    let at = 2
    while (at < bytes.length - 2) {
      assert.equal(bytes[at], 0xff, `marker at ${at}`)
      at += 2 + bytes.readUInt16BE(at + 2)
    }
    assert.equal(at, bytes.length - 2, 'segments tile the file up to EOI')
    assert.equal((await formatForDataset(workload.dataset)).createSampleReader(ioBuffer).readSample(file, 0), bytes.length)
  })

  it('writes parquet readable by hyparquet, with the row groups and column types asked for', async () => {
    const workload = smallDlrm(folder)
    const file = await writeOne(workload, 0, folder)
    const bytes = readFileSync(file)
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)
    const metadata = parquetMetadata(buffer)
    assert.deepEqual(metadata.row_groups.map(group => Number(group.num_rows)), Array(8).fill(256))
    assert.deepEqual(metadata.schema.slice(1).map(element => [element.name, element.type, element.logical_type?.type]), [
      ['feature_000', 'FIXED_LEN_BYTE_ARRAY', 'FLOAT16'],
      ['feature_001', 'FLOAT', undefined],
      ['feature_002', 'DOUBLE', undefined],
      ['feature_003', 'INT32', 'INTEGER'],
    ])
    for (const chunk of metadata.row_groups[0].columns) assert.equal(chunk.meta_data?.codec, 'UNCOMPRESSED')
    const rows = await parquetReadObjects({file: buffer, rowStart: 300, rowEnd: 302})
    assert.equal(rows.length, 2)
    assert.ok(rows.every(row => Number.isInteger(row.feature_003) && row.feature_003 >= -128 && row.feature_003 < 128))
    assert.ok(rows.every(row => typeof row.feature_000 === 'number' && Math.abs(row.feature_000) <= 1))

    // Row-group mode reads only the `read: true` columns (float16 + float64) of the sample's group, once per group.
    const reader = (await formatForDataset(workload.dataset)).createSampleReader(ioBuffer)
    const first = reader.readSample(file, 0)
    assert.ok(first > 256 * (2 + 8) && first < 256 * (2 + 8) + 2048 + metadata.metadata_length, `group 0 + footer, got ${first}`)
    assert.equal(reader.readSample(file, 1), 0, 'same row group: served from the reader cache')
    reader.close()
  })

  it('writes size > 1 parquet columns as fixed-length byte arrays of size·itemsize', async () => {
    const workload = smallDlrm(folder)
    workload.dataset.parquet = {columns: [{name: 'clip_encodings', dtype: 'float32', size: 409, read: true}], row_group_size: 100}
    workload.dataset.num_samples_per_file = 250
    const file = await writeOne(workload, 1, folder)
    const bytes = readFileSync(file)
    const metadata = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length))
    assert.deepEqual(metadata.row_groups.map(group => Number(group.num_rows)), [100, 100, 50])
    assert.deepEqual([metadata.schema[1].type, metadata.schema[1].type_length], ['FIXED_LEN_BYTE_ARRAY', 409 * 4])
  })

  it('refuses formats it does not emulate, by name', async () => {
    await assert.rejects(formatForDataset(smallUnet3d('/x', {format: 'hdf5'}).dataset), /format hdf5 is not emulated by the native engine yet/)
    await assert.rejects(formatForDataset(smallUnet3d('/x', {compression: 'zip'}).dataset), /npz compression "zip" .* not emulated/)
  })
})
