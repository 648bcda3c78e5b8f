import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {editionV3, editionV3Corrected} from '@mlps/plugin-rules-v3'
import {verifyTree} from '../../../src/verify/evaluate.js'
import type {Finding} from 'mlps'
import {loadResultsTree} from '../../../src/verify/tree-loader.js'
import {edit} from '../../../test/verify/valid-tree.js'
import {NATIVE_VDB_WORKLOAD, VDB_DATAGEN, VDB_RUNS, VDB_WORKLOAD, writeValidVdbTree} from '../../../test/verify/vectordb-tree.js'
import {firstPartyCatalogue} from '../../../test/helpers/results-catalogue.js'
import {useScratchTrees} from '../../../test/verify/scratch-trees.js'

// R 5.1.1 (defined scales) and R 5.3.3 (minimum query count) name no table and no number
// (rules.md §4 item 17): the rules report the figures as "not evaluable" (info) and never
// change a verdict. The tests hold them to reporting the figures the tree has.

const SCALE = '5.1.1 vdbDefinedScale'
const QUERIES = '5.3.3 vdbMinimumQueryCount'
const realQueries = VDB_RUNS.map(leaf => (JSON.parse(readFileSync(join(NATIVE_VDB_WORKLOAD, 'run', leaf.split('/').at(-1)!, 'summary.json'), 'utf8')) as {total_queries: number}).total_queries)
const realScale = JSON.parse(readFileSync(join(NATIVE_VDB_WORKLOAD, 'datagen', VDB_DATAGEN.split('/').at(-1)!, 'summary.json'), 'utf8')) as {num_vectors: number; dimension: number}

const only = (findings: Finding[], rule: string): Finding => {
  const named = findings.filter(finding => finding.ruleId === rule)
  assert.equal(named.length, 1, `${rule}: ${JSON.stringify(named)}`)
  return named[0]
}

describe('rules-v3 5.1.1 and 5.3.3 report the scale and the query counts (CLOSED tree derived from a real native workload)', () => {
  const {valid, copy} = useScratchTrees(writeValidVdbTree)

  it('the real workload: both say not evaluable with its figures (5000 × 32, the five runs\' query counts), and the result stays CLOSED', async () => {
    assert.deepEqual([realScale.num_vectors, realScale.dimension], [5000, 32])
    for (const edition of [editionV3, editionV3Corrected]) {
      const report = verifyTree(await loadResultsTree(valid(), await firstPartyCatalogue()), edition)
      const scale = only(report.findings, SCALE)
      assert.equal(scale.severity, 'info')
      assert.equal(scale.notEvaluable, true)
      assert.equal(scale.message, `not evaluable: ${VDB_WORKLOAD}: 5000 vectors × 32 dimensions; Rules.md names no table of allowed scales to compare it with`)
      const queries = only(report.findings, QUERIES)
      assert.equal(queries.severity, 'info')
      assert.equal(queries.notEvaluable, true)
      assert.equal(queries.message, `not evaluable: ${VDB_WORKLOAD}: ${realQueries.join(', ')} queries per run; Rules.md defines no minimum`)
      assert.equal(report.category, 'CLOSED', edition.name)
    }
  })

  it('a run that issued 10 queries: 5.3.3 reports 10 for it, and no minimum turns it INVALID', async () => {
    const root = copy(root => {
      edit(root, `${VDB_RUNS[3]}/metadata.json`, record => {
        record.metrics.total_queries = 10
      })
      edit(root, `${VDB_RUNS[3]}/summary.json`, summary => {
        summary.total_queries = 10
      })
    })
    const report = verifyTree(await loadResultsTree(root, await firstPartyCatalogue()), editionV3Corrected)
    const expected = realQueries.map((count, index) => index === 3 ? 10 : count)
    assert.match(only(report.findings, QUERIES).message, new RegExp(`: ${expected.join(', ')} queries per run;`))
    assert.equal(report.category, 'CLOSED')
  })

  it('the same workload at 10 million 1536-dimension vectors: 5.1.1 reports that scale', async () => {
    const root = copy(root => {
      for (const leaf of [VDB_DATAGEN, ...VDB_RUNS]) {
        edit(root, `${leaf}/metadata.json`, record => {
          record.parameters.effective.dimension = 1536
          record.parameters.effective.numVectors = 10_000_000
          record.parameters.userOverrides.dimension = 1536
          record.parameters.userOverrides.numVectors = 10_000_000
        })
      }
      edit(root, `${VDB_DATAGEN}/metadata.json`, record => {
        record.metrics.num_vectors = 10_000_000
        record.metrics.inserted_vectors = 10_000_000
        record.metrics.dimension = 1536
      })
    })
    const report = verifyTree(await loadResultsTree(root, await firstPartyCatalogue()), editionV3Corrected)
    assert.match(only(report.findings, SCALE).message, /: 10000000 vectors × 1536 dimensions;/)
    assert.deepEqual(report.findings.filter(finding => finding.severity === 'error'), [])
    assert.equal(report.category, 'CLOSED')
  })
})
