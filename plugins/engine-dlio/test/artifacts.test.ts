import assert from 'node:assert/strict'
import {cpSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {checkDlioArtifacts, describeMissing} from '@mlps/plugin-engine-dlio'
import {repoRoot, tempDir} from '../../../test/helpers/cli.js'

const samsung = join(repoRoot, 'fixtures', 'dlio', 'v3.0', 'samsung-llama3-8b-checkpointing')

describe('the dlio engine\'s artifact check', () => {
  it('names every file a run leaf lacks: per rank, the summary, the hydra copies (published v3.0 leaf, abridged)', async () => {
    const check = await checkDlioArtifacts(samsung, {numProcesses: 2, expectsResults: true})
    // the fixture keeps rank 0's stats, the summary and two hydra copies; everything else is missing
    assert.deepEqual(check.missing, ['dlio_config/hydra.yaml', '0_output.json', '1_per_epoch_stats.json', '1_output.json'])
    assert.equal(check.summary?.metric.checkpoint_size_GB, 104.70452117919922)
  })

  it('turns an unreadable summary or stats file into a missing entry with the reason', async () => {
    const leaf = tempDir()
    cpSync(samsung, leaf, {recursive: true})
    writeFileSync(join(leaf, 'dlio_config', 'hydra.yaml'), 'hydra: {}\n')
    writeFileSync(join(leaf, '0_output.json'), '{}')
    writeFileSync(join(leaf, 'summary.json'), '{"metric": {"checkpoint_size_GB": 1.0')
    writeFileSync(join(leaf, '0_per_epoch_stats.json'), '')
    const check = await checkDlioArtifacts(leaf, {numProcesses: 1, expectsResults: true})
    assert.equal(check.missing.length, 2)
    assert.match(check.missing[0], /^summary\.json \(unreadable: not valid JSON/)
    assert.match(check.missing[1], /^0_per_epoch_stats\.json \(unreadable: /)
  })

  it('asks a datagen leaf for the hydra copies only (DLIO writes no summary when it does not train)', async () => {
    const leaf = tempDir()
    cpSync(join(samsung, 'dlio_config'), join(leaf, 'dlio_config'), {recursive: true})
    assert.deepEqual((await checkDlioArtifacts(leaf, {numProcesses: 8, expectsResults: false})).missing, ['dlio_config/hydra.yaml'])
  })

  it('keeps a long list short in the status reason', () => {
    const missing = Array.from({length: 45}, (_, rank) => `${rank}_output.json`)
    assert.equal(describeMissing(missing), '0_output.json, 1_output.json, 2_output.json, 3_output.json, 4_output.json, 5_output.json and 39 more')
  })
})
