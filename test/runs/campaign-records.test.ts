import assert from 'node:assert/strict'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {campaignsNeeding} from '../../src/runs/campaign-records.js'
import {resultsRootOf} from '../../src/runs/results-root.js'
import {tempDir} from '../helpers/cli.js'

describe('which campaigns need a leaf (.mlps/campaigns/<id>.json)', () => {
  const leaf = 'closed/acme/results/sut1/training/unet3d/run/20261201_120000'

  it('names the campaigns whose steps list the leaf, and none for a tree without records', async () => {
    const root = tempDir()
    assert.deepEqual(await campaignsNeeding(root, leaf), [])
    mkdirSync(join(root, '.mlps', 'campaigns'), {recursive: true})
    const record = (id: string, steps: unknown[]) => writeFileSync(join(root, '.mlps', 'campaigns', `${id}.json`), JSON.stringify({schemaVersion: 1, id, status: 'COMPLETE', steps}))
    record('a', [{index: 1, role: 'warmup', leaf, status: 'COMPLETE'}])
    record('b', [{index: 1, role: 'datagen', status: 'COMPLETE'}, {index: 2, role: 'run', leaf: 'closed/acme/results/sut1/training/unet3d/run/20261201_130000', status: 'COMPLETE'}])
    assert.deepEqual(await campaignsNeeding(root, leaf), [{campaign: 'a', status: 'COMPLETE', file: '.mlps/campaigns/a.json', step: {index: 1, role: 'warmup'}}])
  })

  it('counts a record it cannot read as one that may need the leaf', async () => {
    const root = tempDir()
    mkdirSync(join(root, '.mlps', 'campaigns'), {recursive: true})
    writeFileSync(join(root, '.mlps', 'campaigns', 'broken.json'), '{"id": "broken", "steps": [')
    const [need] = await campaignsNeeding(root, leaf)
    assert.equal(need.campaign, 'broken')
    assert.match(need.unreadable ?? '', /JSON/)
  })

  it('finds the results dir above the last division folder of a leaf', () => {
    assert.equal(resultsRootOf(`/data/r/${leaf}`), '/data/r')
    assert.equal(resultsRootOf('/data/open/x/results/open/acme/results/s/training/m/run/1'), '/data/open/x/results')
    assert.equal(resultsRootOf('/data/elsewhere/run/1'), undefined)
  })
})
