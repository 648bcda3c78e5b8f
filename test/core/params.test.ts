import assert from 'node:assert/strict'

import {ExitCode, MlpsError} from 'mlps'

import {getWorkload} from '@mlps/plugin-training'
import {ParamError, applyParams, parseParam} from '../../lib/run-options/src/workload-params.js'

function paramError(params: string[], message: RegExp): ParamError {
  try {
    applyParams(getWorkload('unet3d', 'b200'), params)
  } catch (error) {
    assert.ok(error instanceof ParamError, String(error))
    assert.ok(error instanceof MlpsError)
    assert.equal(error.exitCode, ExitCode.BadInput)
    assert.equal(error.where, `--param ${JSON.stringify(error.param)}`)
    // what the CLI prints: the flag and argument, the problem, then the fix
    assert.match(error.render(), /^--param "[^\n]*": [^\n]+\n {2}fix: \S/)
    assert.match(error.render(), message)
    return error
  }
  assert.fail(`applyParams(${params.join(' ')}) did not throw`)
}

describe('--param overrides', () => {
  it('splits at the first "=" so values may contain "="', () => {
    assert.deepEqual(parseParam('storage.storage_options.endpoint_url=http://s3?a=b'), {
      key: 'storage.storage_options.endpoint_url', value: 'http://s3?a=b',
    })
    assert.deepEqual(parseParam('dataset.data_folder='), {key: 'dataset.data_folder', value: ''})
  })

  it('coerces values to the type of the field they replace and reports what changed', () => {
    const original = getWorkload('unet3d', 'b200')
    const {workload, applied} = applyParams(original, [
      'dataset.num_files_train=28000',
      'reader.read_threads=16',
      'train.computation_time=0.2',
      'workflow.checkpoint=TRUE',
      'dataset.data_folder=/mnt/sut/unet3d',
      'reader.file_shuffle=random',
    ])
    assert.equal(workload.dataset.num_files_train, 28000)
    assert.equal(workload.reader!.read_threads, 16)
    assert.equal(workload.train!.computation_time, 0.2)
    assert.equal(workload.workflow.checkpoint, true)
    assert.equal(workload.dataset.data_folder, '/mnt/sut/unet3d')
    assert.deepEqual(applied, [
      {key: 'dataset.num_files_train', value: 28000, previous: 7200},
      {key: 'reader.read_threads', value: 16, previous: 4},
      {key: 'train.computation_time', value: 0.2, previous: 0.162},
      {key: 'workflow.checkpoint', value: true, previous: false},
      {key: 'dataset.data_folder', value: '/mnt/sut/unet3d', previous: 'data/unet3d/'},
      {key: 'reader.file_shuffle', value: 'random', previous: 'seed'},
    ])
    assert.equal(original.dataset.num_files_train, 7200, 'the input workload is left alone')
  })

  it('keeps unknown keys, typed by their look, creating sections as needed', () => {
    const {workload, applied} = applyParams(getWorkload('unet3d', 'b200'), [
      'dataset.num_subfolders_train=3',
      'storage.storage_type=s3',
      'storage.s3_force_path_style=True',
      'reader.odirect=false',
      'storage.storage_options.prefetch_window=2.5',
    ])
    const extra = workload as unknown as {storage: Record<string, unknown>}
    assert.equal(workload.dataset.num_subfolders_train, 3)
    assert.equal(workload.reader!.odirect, false)
    assert.deepEqual(extra.storage, {storage_type: 's3', s3_force_path_style: true, storage_options: {prefetch_window: 2.5}})
    assert.deepEqual(applied.map(a => a.previous), [undefined, undefined, undefined, undefined, undefined])
  })

  it('applies repeated keys in order, the last one winning', () => {
    const {workload, applied} = applyParams(getWorkload('retinanet', 'b200'), ['reader.read_threads=2', 'reader.read_threads=6'])
    assert.equal(workload.reader!.read_threads, 6)
    assert.deepEqual(applied.map(a => a.previous), [8, 2])
  })

  it('rejects a value that is not a number where a number is expected, naming key, value and type', () => {
    const error = paramError(['train.computation_time=fast'], /train\.computation_time expects a number \(it is 0\.162\) but got "fast"/)
    assert.equal(error.param, 'train.computation_time=fast')
    assert.equal(error.message, 'train.computation_time expects a number (it is 0.162) but got "fast"')
    assert.equal(error.fix, 'pass a number, e.g. --param train.computation_time=0.162')
    paramError(['train.computation_time=1e999'], /expects a number/)
    paramError(['train.computation_time=0x10'], /expects a number/)
  })

  it('rejects fractional or negative counts, even for keys the workload does not carry yet', () => {
    paramError(['dataset.num_files_train=28000.5'], /dataset\.num_files_train is a count and needs a whole number ≥ 0, but got "28000\.5"/)
    paramError(['reader.batch_size=-7'], /reader\.batch_size is a count/)
    paramError(['dataset.num_subfolders_train=many'], /dataset\.num_subfolders_train is a count/)
  })

  it('rejects a boolean field given anything but true or false', () => {
    paramError(['workflow.train=yes'], /workflow\.train expects true or false \(it is true\) but got "yes"/)
  })

  it('rejects malformed arguments', () => {
    paramError(['dataset.num_files_train'], /expected key=value/)
    paramError(['=28000'], /the key before "=" is empty/)
    paramError(['dataset..num_files_train=1'], /"dataset\.\.num_files_train" is not a dotted path of names/)
    paramError(['dataset.num files=1'], /not a dotted path/)
    paramError(['__proto__.polluted=1'], /not a dotted path/)
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
  })

  it('refuses to replace a section or a list, or to reach inside a value', () => {
    paramError(['dataset=big'], /dataset is a section of the workload, not a single value\n {2}fix: set one of its keys instead: dataset\.data_folder, dataset\.format/)
    paramError(['framework.name=x'], /framework holds the value "pytorch", so framework\.name cannot be set inside it/)
    assert.throws(() => applyParams(getWorkload('flux', 'b200'), ['dataset.parquet.columns=none']), /dataset\.parquet\.columns is a list/)
    assert.throws(() => applyParams(getWorkload('flux', 'b200'), ['dataset.parquet.columns.size=1']), /dataset\.parquet\.columns is a list, so dataset\.parquet\.columns\.size cannot be set inside it/)
  })

  it('refuses a key neither the workload nor DLIO knows, naming the nearest key and the flag that adds it', () => {
    const error = paramError(['reader.read_thread=8'], /reader\.read_thread is not a key of this workload nor one DLIO is known to take; did you mean reader\.read_threads\?/)
    assert.equal(error.exitCode, 2)
    assert.match(error.fix ?? '', /--param reader\.read_threads=8/)
    assert.match(error.fix ?? '', /--new-param reader\.read_thread=8 \(the run is then OPEN at most\)/)
    paramError(['nothing.like.it=1'], /nothing\.like\.it is not a key/)
  })

  it('takes spaces around "=" as the user meant them', () => {
    const {workload, applied} = applyParams(getWorkload('unet3d', 'b200'), ['train.epochs = 3'])
    assert.equal(workload.train!.epochs, 3)
    assert.deepEqual(applied, [{key: 'train.epochs', value: 3, previous: 5}])
  })

  it('refuses zero where a run needs at least one, counts beyond any system, and durations past a year', () => {
    paramError(['dataset.num_files_train=0'], /dataset\.num_files_train must be greater than 0/)
    paramError(['train.epochs=0'], /train\.epochs must be greater than 0/)
    paramError(['dataset.num_files_train=99999999999999'], /beyond the limit of 1000000000000/)
    paramError(['checkpoint.time_between_checkpoints=-5'], /checkpoint\.time_between_checkpoints is a duration in seconds/)
    paramError(['checkpoint.time_between_checkpoints=1e308'], /from 0 to 31536000/)
  })

  it('adds an unknown key only through --new-param, marking it added', () => {
    const {workload, applied} = applyParams(getWorkload('unet3d', 'b200'), ['reader.read_threads=2'], ['reader.read_thread=8'])
    assert.equal((workload.reader as unknown as Record<string, unknown>).read_thread, 8)
    assert.deepEqual(applied, [{key: 'reader.read_threads', value: 2, previous: 4}, {key: 'reader.read_thread', value: 8, previous: undefined, added: true}])
  })
})
