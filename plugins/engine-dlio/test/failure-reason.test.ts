import assert from 'node:assert/strict'
import {existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {lastEngineError, removeUnusedCheckpointFolder} from '@mlps/plugin-engine-dlio'
import type {DlioWorkload} from '@mlps/run-options'
import {tempDir} from '../../../test/helpers/cli.js'

// training_run.stderr.log of a real DLIO 3.0.0 run (mlcommons/DLIO_local_changes@4be40e6) over an empty data dir, 2 ranks
const EMPTY_DATA_DIR_STDERR = `[OUTPUT] 2026-12-01T09:37:40.301444 Running DLIO [Training & Checkpointing] with 2 process(es)
[WARNING] The amount of dataset is smaller than the host memory; data might be cached after the first epoch.
Error executing job with overrides: ['workload=unet3d_h100', '++workload.dataset.num_files_train=32', '++workload.dataset.data_folder=/tmp/eng/empty/unet3d']
Traceback (most recent call last):
  File "/opt/mlps-engines/dlio/lib/python3.11/site-packages/dlio_benchmark/main.py", line 226, in initialize
    raise Exception(
Exception: Not enough training dataset is found; Please run the code with ++workload.workflow.generate_data=True

Set the environment variable HYDRA_FULL_ERROR=1 for a complete stack trace.
--------------------------------------------------------------------------
Primary job  terminated normally, but 1 process returned
a non-zero exit code. Per user-direction, the job has been aborted.
--------------------------------------------------------------------------
`

describe('a failed DLIO run\'s reason', () => {
  it('is DLIO\'s own last error from its console output (hydra prints it to stderr, never to dlio.log)', () => {
    assert.equal(lastEngineError(EMPTY_DATA_DIR_STDERR), 'Exception: Not enough training dataset is found; Please run the code with ++workload.workflow.generate_data=True')
    assert.equal(lastEngineError('Traceback (most recent call last):\n  File "x.py"\nAssertionError\n'), 'AssertionError')
    assert.equal(lastEngineError('[ERROR] 2026-12-01T09:37:40.301444 Only have enough data for 2 steps but 5 wanted\n'), 'Only have enough data for 2 steps but 5 wanted')
    assert.equal(lastEngineError('[OUTPUT] all fine\n[WARNING] dgen-py is not installed\n'), undefined)
  })
})

describe('a DLIO training leaf', () => {
  it('keeps no empty checkpoints/<model>/ folder when the workload does not checkpoint; a used or outside one stays', async () => {
    const leaf = tempDir('mlps-leaf-')
    const training: DlioWorkload = {model: {name: 'unet3d'}, framework: 'pytorch', workflow: {generate_data: false, train: true, checkpoint: false}, checkpoint: {checkpoint_folder: 'checkpoints/unet3d'}}
    mkdirSync(join(leaf, 'checkpoints', 'unet3d'), {recursive: true})
    await removeUnusedCheckpointFolder(leaf, training)
    assert.deepEqual(readdirSync(leaf), [])

    mkdirSync(join(leaf, 'checkpoints', 'unet3d'), {recursive: true})
    writeFileSync(join(leaf, 'checkpoints', 'unet3d', 'layer.pt'), 'x')
    await removeUnusedCheckpointFolder(leaf, training)
    assert.ok(existsSync(join(leaf, 'checkpoints', 'unet3d', 'layer.pt')), 'a folder with files is never removed')

    const outside = tempDir('mlps-ckpt-')
    await removeUnusedCheckpointFolder(leaf, {...training, checkpoint: {checkpoint_folder: outside}})
    assert.ok(existsSync(outside), 'a folder outside the leaf is the user\'s')
    const checkpointing: DlioWorkload = {...training, workflow: {generate_data: false, train: false, checkpoint: true}, checkpoint: {checkpoint_folder: 'ckpt'}}
    mkdirSync(join(leaf, 'ckpt'))
    await removeUnusedCheckpointFolder(leaf, checkpointing)
    assert.ok(existsSync(join(leaf, 'ckpt')), 'a checkpointing workload keeps its folder')
  })
})
