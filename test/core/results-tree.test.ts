import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {writeJsonAtomic} from '../../src/results/atomic-write.js'
import {commandDir, createRunLeaf, type LeafLocation, timestampName} from '../../src/results/run-leaf.js'
import {tempDir} from '../helpers/cli.js'

const location = (resultsDir: string): LeafLocation => ({
  resultsDir, division: 'closed', organization: 'acme', systemName: 'sut-1',
  benchmarkFolder: 'training', modelPath: ['unet3d'], command: 'run',
})

describe('results tree', () => {
  it('lays leaves out in the v3.0 canonical layout', () => {
    assert.equal(commandDir(location('/r')), '/r/closed/acme/results/sut-1/training/unet3d/run')
    assert.equal(timestampName(new Date(2026, 6, 4, 6, 42, 22)), '20260704_064222')
  })

  it('gives every run its own leaf, even when many start in the same second: the real second, then a suffix', async () => {
    const root = tempDir()
    const start = new Date(2026, 10, 23, 12, 0, 0)
    const leaves = await Promise.all(Array.from({length: 8}, () => createRunLeaf(location(root), start)))
    assert.equal(new Set(leaves).size, 8)
    const names = readdirSync(commandDir(location(root))).sort()
    // before issue 22 the next free second was taken, so names drifted from the start time (up to 16 s for 20 runs)
    assert.deepEqual(names, ['20261123_120000', '20261123_120000_2', '20261123_120000_3', '20261123_120000_4',
      '20261123_120000_5', '20261123_120000_6', '20261123_120000_7', '20261123_120000_8'])
    // a run starting the next second keeps its own second
    assert.equal(await createRunLeaf(location(root), new Date(2026, 10, 23, 12, 0, 1)), join(commandDir(location(root)), '20261123_120001'))
  })

  it('writes files atomically and leaves no temporary files behind', async () => {
    const dir = tempDir()
    const file = join(dir, 'deep', 'metadata.json')
    await Promise.all(Array.from({length: 20}, (_, i) => writeJsonAtomic(file, {writer: i, pad: 'x'.repeat(100_000)})))
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as {writer: number}
    assert.ok(parsed.writer >= 0 && parsed.writer < 20, 'the file holds one whole write')
    assert.deepEqual(readdirSync(join(dir, 'deep')), ['metadata.json'])
  })
})
