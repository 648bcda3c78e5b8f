import assert from 'node:assert/strict'
import {readdirSync, renameSync} from 'node:fs'
import {join} from 'node:path'
import {editionV3, editionV3Corrected} from '@mlps/plugin-rules-v3'
import {verifyTree} from '../../../src/verify/evaluate.js'
import type {Finding} from 'mlps'
import {loadResultsTree} from '../../../src/verify/tree-loader.js'
import {edit, runLeaf, writeValidTree} from '../../../test/verify/valid-tree.js'
import {firstPartyCatalogue} from '../../../test/helpers/results-catalogue.js'
import {useScratchTrees} from '../../../test/verify/scratch-trees.js'

const OPEN_PARAMETERS = '3.6.3 trainingOpenParameters'
const SINGLE_HOST = '3.3.3 trainingSingleHostSimulatedAccelerators'

/** every run of the training result, as `mlps training run` would have recorded it after the change */
const everyRun = (root: string, change: (record: any) => void) => {
  for (let index = 0; index < 6; index++) edit(root, `${runLeaf(index)}/metadata.json`, change)
}
const named = (findings: Finding[], rule: string) => findings.filter(finding => finding.ruleId === rule && !finding.notEvaluable)

describe('rules-v3 mutation tests of 3.6.3 (OPEN parameters) and 3.3.3 (single-host accelerators), synthetic valid v3.0 tree', () => {
  const {copy} = useScratchTrees(writeValidTree)
  /** the same submission filed in the open division: every record says so, and so does the folder */
  const asOpen = (root: string) => {
    for (const entry of readdirSync(root, {recursive: true, encoding: 'utf8'})) {
      if (entry.endsWith('metadata.json')) edit(root, entry, record => {
        record.division = 'open'
      })
    }
    renameSync(join(root, 'closed'), join(root, 'open'))
  }

  describe(OPEN_PARAMETERS, () => {
    it('an OPEN submission that changes only OPEN tunables (the data loader) is OPEN with no error', async () => {
      const root = copy(root => {
        everyRun(root, record => {
          record.parameters.userOverrides['reader.data_loader'] = 'tensorflow'
        })
        asOpen(root)
      })
      for (const edition of [editionV3, editionV3Corrected]) {
        const report = verifyTree(await loadResultsTree(root, await firstPartyCatalogue()), edition)
        assert.deepEqual(report.findings.filter(finding => finding.severity === 'error'), [], edition.name)
        assert.equal(report.category, 'OPEN', edition.name)
        assert.deepEqual(named(report.findings, OPEN_PARAMETERS), [])
        assert.deepEqual(named(report.findings, '3.6.2 trainingClosedParameters'), [], 'the runs are judged as OPEN runs')
      }
    })

    it('a tunable that neither list allows (the batch size) makes the OPEN submission INVALID, naming the key and the fix', async () => {
      const root = copy(root => {
        everyRun(root, record => {
          record.parameters.userOverrides['reader.data_loader'] = 'tensorflow'
        })
        edit(root, `${runLeaf(2)}/metadata.json`, record => {
          record.parameters.userOverrides['reader.batch_size'] = 4
        })
        asOpen(root)
      })
      const report = verifyTree(await loadResultsTree(root, await firstPartyCatalogue()), editionV3Corrected)
      assert.equal(report.category, 'INVALID')
      const [finding, ...more] = named(report.findings, OPEN_PARAMETERS)
      assert.deepEqual(more, [])
      assert.equal(finding.severity, 'error')
      assert.match(finding.message, /reader\.batch_size=4 may not be changed, even in OPEN/)
      assert.match(finding.fix ?? '', /drop --param reader\.batch_size; OPEN allows .*reader\.data_loader/)
      assert.deepEqual(finding.evidence?.map(evidence => evidence.path), ['reader.batch_size'])
    })

    it('judges OPEN submissions only: the same change in CLOSED is 3.6.2\'s to report', async () => {
      const root = copy(root => edit(root, `${runLeaf(2)}/metadata.json`, record => {
        record.parameters.userOverrides['reader.batch_size'] = 4
      }))
      const report = verifyTree(await loadResultsTree(root, await firstPartyCatalogue()), editionV3Corrected)
      assert.equal(report.category, 'INVALID')
      assert.deepEqual(named(report.findings, OPEN_PARAMETERS), [])
      assert.equal(named(report.findings, '3.6.2 trainingClosedParameters').length, 1)
    })
  })

  describe(SINGLE_HOST, () => {
    const onOneHost = (accelerators: number) => (root: string) => everyRun(root, record => {
      record.hosts = [{name: 'client1', slots: accelerators}]
      record.numProcesses = accelerators
    })

    it('one host simulating 4 accelerators: no advice', async () => {
      const report = verifyTree(await loadResultsTree(copy(onOneHost(4)), await firstPartyCatalogue()), editionV3Corrected)
      assert.deepEqual(named(report.findings, SINGLE_HOST), [])
    })

    it('one host simulating 2 accelerators: a warning on every run that names the count, and the result stays CLOSED', async () => {
      for (const edition of [editionV3, editionV3Corrected]) {
        const report = verifyTree(await loadResultsTree(copy(onOneHost(2)), await firstPartyCatalogue()), edition)
        const warnings = named(report.findings, SINGLE_HOST)
        assert.equal(warnings.length, 6, edition.name)
        assert.ok(warnings.every(finding => finding.severity === 'warn' && /a single host simulates only 2 accelerator\(s\)$/.test(finding.message)), JSON.stringify(warnings))
        assert.equal(warnings[0].fix, 'simulate at least 4 accelerators per host')
        assert.deepEqual(report.findings.filter(finding => finding.severity === 'error'), [], edition.name)
        assert.equal(report.category, 'CLOSED', edition.name)
      }
    })

    it('two hosts with 2 accelerators each are not a single-host run', async () => {
      const root = copy(root => everyRun(root, record => {
        record.hosts = [{name: 'client1', slots: 2}, {name: 'client2', slots: 2}]
        record.numProcesses = 4
      }))
      const report = verifyTree(await loadResultsTree(root, await firstPartyCatalogue()), editionV3Corrected)
      assert.deepEqual(named(report.findings, SINGLE_HOST), [])
    })
  })
})
