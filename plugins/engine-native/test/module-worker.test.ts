import assert from 'node:assert/strict'

import {workerExecArgv} from '@mlps/plugin-engine-native'

describe('native engine worker threads', () => {
  it('start without the parent\'s preloads and loader hooks, keeping its other flags', () => {
    assert.deepEqual(workerExecArgv(['--import', 'tsx', '--conditions=mlps-source']), ['--conditions=mlps-source'])
    assert.deepEqual(workerExecArgv(['--import=tsx', '--require', './x.cjs', '-r', 'y', '--loader=ts-node/esm', '--experimental-loader', 'z', '--enable-source-maps']), ['--enable-source-maps'])
    assert.deepEqual(workerExecArgv(['--conditions', 'mlps-source']), ['--conditions', 'mlps-source'])
    assert.deepEqual(workerExecArgv([]), [])
  })
})
