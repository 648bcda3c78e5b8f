import assert from 'node:assert/strict'

import {buildDatagenArgv, calculateDatasize, getWorkload} from '@mlps/plugin-training'

const GiB = 2 ** 30

describe('datagen command after datasize', () => {
  const retinanet = calculateDatasize({
    model: 'retinanet', accelerator: 'b200', workload: getWorkload('retinanet', 'b200'), accelerators: 8, hostMemoryBytes: [512 * GiB],
  })

  it('prints a placeholder data dir and no subfolder param when none are needed', () => {
    assert.deepEqual(buildDatagenArgv({model: 'flux', accelerators: 8, numFilesTrain: 4409, numSubfoldersTrain: 0}), [
      'mlps', 'training', 'datagen', '--model', 'flux', '--num-accelerators', '8',
      '--param', 'dataset.num_files_train=4409', '--data-dir', '<DATA_DIR>',
    ])
  })

  it('carries files, subfolders, hosts, directories and the user\'s other params as argv pairs', () => {
    const argv = buildDatagenArgv(retinanet, {
      hosts: ['node1', 'node2'],
      dataDir: '/mnt/sut',
      resultsDir: '/results',
      params: ['reader.read_threads=16', 'dataset.num_files_train=5', 'storage.storage_options.endpoint_url=http://s3?a=b', 'dataset.num_subfolders_train=1'],
    })
    assert.deepEqual(argv, [
      'mlps', 'training', 'datagen', '--model', 'retinanet', '--num-accelerators', '8',
      '--param', 'dataset.num_files_train=8511285',
      '--param', 'dataset.num_subfolders_train=852',
      '--param', 'reader.read_threads=16',
      '--param', 'storage.storage_options.endpoint_url=http://s3?a=b',
      '--hosts', 'node1,node2',
      '--data-dir', '/mnt/sut',
      '--results-dir', '/results',
    ])
  })
})
