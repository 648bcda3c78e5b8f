import assert from 'node:assert/strict'

import {ExitCode} from 'mlps'

import {
  ACCELERATORS, TRAINING_MODELS, UnsupportedWorkloadError,
  getWorkload, getWorkloadSupport, supportedPairs,
} from '@mlps/plugin-training'

describe('training workload catalogue', () => {
  it('lists exactly the pairs the references give values for', () => {
    const pairs = supportedPairs().map(p => `${p.model}_${p.accelerator}`)
    assert.deepEqual(pairs, [
      'unet3d_a100', 'unet3d_h100', 'unet3d_b200',
      'resnet50_a100', 'resnet50_h100',
      'cosmoflow_a100', 'cosmoflow_h100',
      'retinanet_b200', 'retinanet_mi355',
      'dlrm_b200', 'dlrm_mi355',
      'flux_b200', 'flux_mi355',
    ])
  })

  it('gives every run workload a positive batch size, read threads, epochs, record length and an AU in (0, 1]', () => {
    for (const {model, accelerator} of supportedPairs()) {
      const w = getWorkload(model, accelerator)
      const name = `${model}_${accelerator}`
      assert.ok(Number.isInteger(w.reader?.batch_size) && w.reader!.batch_size > 0, `${name} batch_size`)
      assert.ok(Number.isInteger(w.reader?.read_threads) && w.reader!.read_threads > 0, `${name} read_threads`)
      assert.ok(Number.isInteger(w.train?.epochs) && w.train!.epochs > 0, `${name} epochs`)
      assert.ok(w.train!.computation_time > 0, `${name} computation_time`)
      assert.ok(w.dataset.record_length_bytes > 0, `${name} record_length_bytes`)
      assert.ok(w.dataset.num_samples_per_file > 0 && w.dataset.num_files_train > 0, `${name} dataset counts`)
      assert.ok(w.metric!.au > 0 && w.metric!.au <= 1, `${name} au ${w.metric?.au}`)
      assert.deepEqual(w.workflow, {generate_data: false, train: true, checkpoint: false}, `${name} workflow`)
      assert.equal(w.framework, w.reader!.data_loader, `${name} framework must match data_loader`)
    }
  })

  it('has a datagen workload per model that only generates data', () => {
    for (const model of TRAINING_MODELS) {
      const w = getWorkload(model, 'datagen')
      assert.deepEqual(w.workflow, {generate_data: true, train: false, checkpoint: false}, model)
      assert.equal(w.reader, undefined, model)
      assert.equal(w.train, undefined, model)
      assert.equal(w.metric, undefined, model)
      assert.ok(w.dataset.record_length_bytes > 0, model)
    }
  })

  it('pins the v3.0 CLOSED values', () => {
    const unet3d = getWorkload('unet3d', 'b200')
    assert.equal(unet3d.dataset.record_length_bytes, 146600628)
    assert.equal(unet3d.dataset.record_length_bytes_stdev, 68341808)
    assert.equal(unet3d.dataset.record_length_bytes_resize, 2097152)
    assert.equal(unet3d.dataset.num_files_train, 7200)
    assert.deepEqual(unet3d.reader, {data_loader: 'pytorch', batch_size: 7, read_threads: 4, file_shuffle: 'seed', sample_shuffle: 'seed'})
    assert.deepEqual(unet3d.train, {epochs: 5, computation_time: 0.162})
    assert.equal(unet3d.metric!.au, 0.9)

    const retinanetB200 = getWorkload('retinanet', 'b200')
    assert.equal(retinanetB200.dataset.format, 'jpeg')
    assert.equal(retinanetB200.dataset.num_files_train, 1170301)
    assert.equal(retinanetB200.dataset.record_length_bytes, 322957)
    assert.equal(retinanetB200.reader!.batch_size, 24)
    assert.equal(retinanetB200.reader!.read_threads, 8)
    assert.deepEqual(retinanetB200.train, {epochs: 8, computation_time: 0.04755})
    assert.equal(retinanetB200.metric!.au, 0.85)

    // engines.md §1.4.3 (36 / 0.071325) over mlpstorage-spec.md §3.2 (32 / 0.0634)
    const retinanetMi355 = getWorkload('retinanet', 'mi355')
    assert.equal(retinanetMi355.reader!.batch_size, 36)
    assert.equal(retinanetMi355.train!.computation_time, 0.071325)
  })

  it('pins the v2.0 and whatif values', () => {
    assert.equal(getWorkload('unet3d', 'a100').train!.computation_time, 0.636)
    assert.equal(getWorkload('unet3d', 'h100').train!.computation_time, 0.323)
    const resnetA100 = getWorkload('resnet50', 'a100')
    assert.equal(resnetA100.dataset.record_length_bytes, 114660.07)
    assert.equal(resnetA100.dataset.num_samples_per_file, 1251)
    assert.deepEqual(resnetA100.reader, {data_loader: 'tensorflow', batch_size: 400, read_threads: 8, computation_threads: 8, dont_use_mmap: true})
    assert.equal(getWorkload('resnet50', 'h100').reader!.dont_use_mmap, undefined)
    assert.equal(getWorkload('resnet50', 'h100').train!.computation_time, 0.224)
    const cosmoflow = getWorkload('cosmoflow', 'h100')
    assert.equal(cosmoflow.dataset.num_files_train, 524288)
    assert.equal(cosmoflow.reader!.shuffle_size, 2)
    assert.equal(cosmoflow.train!.computation_time, 0.0035)
    assert.equal(getWorkload('cosmoflow', 'a100').train!.computation_time, 0.00551)
    assert.equal(cosmoflow.metric!.au, 0.7)
    assert.equal(getWorkload('flux', 'b200').reader!.batch_size, 48)
    assert.equal(getWorkload('flux', 'mi355').train!.computation_time, 2.025)
    assert.equal(getWorkload('dlrm', 'b200').reader!.batch_size, 12288)
    assert.equal(getWorkload('dlrm', 'mi355').reader!.batch_size, 18432)
    assert.equal(getWorkload('dlrm', 'mi355').train!.computation_time, 0.0005625)
  })

  it('gives dlrm 200 columns with the published dtype and read counts', () => {
    const {parquet, num_samples_per_file} = getWorkload('dlrm', 'b200').dataset
    const columns = parquet!.columns
    assert.equal(columns.length, 200)
    assert.equal(columns[0].name, 'feature_000')
    assert.equal(columns[199].name, 'feature_199')
    const count = (dtype: string) => columns.filter(c => c.dtype === dtype).length
    assert.deepEqual([count('float16'), count('float32'), count('float64'), count('int8')], [50, 56, 49, 45])
    assert.equal(columns.filter(c => c.read).length, 40)
    assert.equal(parquet!.row_group_size, 6144)
    assert.equal(num_samples_per_file, 4718592)
    assert.equal(getWorkload('dlrm', 'datagen').dataset.num_samples_per_file, 1536000)
  })

  it('gives flux its five float32 columns', () => {
    const columns = getWorkload('flux', 'mi355').dataset.parquet!.columns
    assert.deepEqual(columns.map(c => [c.name, c.dtype, c.size]), [
      ['t5_encodings', 'float32', 524328], ['clip_encodings', 'float32', 409], ['mean', 'float32', 8232],
      ['logvar', 'float32', 8232], ['timestamp', 'float32', 7],
    ])
    assert.equal(getWorkload('flux', 'b200').dataset.num_samples_per_file, 288)
    assert.equal(getWorkload('flux', 'datagen').dataset.num_samples_per_file, 256)
  })

  it('hands out copies, so a caller cannot change the catalogue', () => {
    const first = getWorkload('unet3d', 'b200')
    first.reader!.batch_size = 999
    first.dataset.num_files_train = 1
    const second = getWorkload('unet3d', 'b200')
    assert.equal(second.reader!.batch_size, 7)
    assert.equal(second.dataset.num_files_train, 7200)
    const divisions = supportedPairs()[0].divisions as string[]
    divisions.length = 0
    assert.deepEqual(getWorkloadSupport('unet3d', 'a100').divisions, ['whatif'])
  })

  it('tells which divisions and CLOSED rounds accept each pair', () => {
    assert.deepEqual(getWorkloadSupport('unet3d', 'b200'), {divisions: ['closed', 'open', 'whatif'], closedEditions: ['3.0']})
    assert.deepEqual(getWorkloadSupport('retinanet', 'mi355'), {divisions: ['closed', 'open', 'whatif'], closedEditions: ['3.0']})
    assert.deepEqual(getWorkloadSupport('resnet50', 'h100'), {divisions: ['whatif'], closedEditions: ['2.0']})
    assert.deepEqual(getWorkloadSupport('flux', 'b200'), {divisions: ['whatif'], closedEditions: []})
  })

  describe('unsupported pairs', () => {
    function rejects(model: string, target: string, reason: RegExp): UnsupportedWorkloadError {
      try {
        getWorkload(model, target)
      } catch (error) {
        assert.ok(error instanceof UnsupportedWorkloadError)
        assert.equal(error.exitCode, ExitCode.BadInput)
        assert.match(error.message, reason)
        assert.match(error.fix!, /^use one of the supported pairs: unet3d: /)
        assert.equal(error.model, model)
        assert.equal(error.target, target)
        return error
      }
      assert.fail(`getWorkload(${model}, ${target}) did not throw`)
    }

    it('lists every supported pair when the accelerator has no config', () => {
      const error = rejects('resnet50', 'b200', /resnet50 has no b200 config/)
      assert.equal(error.supported.length, 13)
      assert.ok(error.fix!.includes(
        'unet3d: a100, h100, b200, datagen; resnet50: a100, h100, datagen; cosmoflow: a100, h100, datagen; '
        + 'retinanet: b200, mi355, datagen; dlrm: b200, mi355, datagen; flux: b200, mi355, datagen'), error.fix)
    })

    it('says why unet3d on mi355 is missing instead of inventing values', () => {
      rejects('unet3d', 'mi355', /lists unet3d on mi355, but our references do not give its workload values/)
      assert.throws(() => getWorkloadSupport('unet3d', 'mi355'), UnsupportedWorkloadError)
    })

    it('names unknown models and accelerators', () => {
      rejects('bert', 'h100', /unknown model; models are unet3d, resnet50, cosmoflow, retinanet, dlrm, flux/)
      rejects('bert', 'datagen', /unknown model/)
      rejects('unet3d', 'v100', /unknown accelerator; accelerators are a100, h100, b200, mi355/)
      assert.deepEqual([...ACCELERATORS], ['a100', 'h100', 'b200', 'mi355'])
    })
  })
})
