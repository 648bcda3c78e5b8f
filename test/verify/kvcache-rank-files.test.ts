import assert from 'node:assert/strict'
import {cpSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {editionV3Corrected} from '../../plugins/rules-v3/src/editions.js'
import {verifyTree} from '../../src/verify/evaluate.js'
import type {Finding} from '../../src/verify/finding.js'
import {loadResultsTree} from '../../src/verify/tree-loader.js'
import {tempDir} from '../helpers/cli.js'
import {firstPartyCatalogue} from '../helpers/results-catalogue.js'
import {KV_LEAF, writeValidKvTree} from './kvcache-tree.js'

// The per-rank results a KV-cache summary was aggregated from, in the real native run's leaf
// (fixtures/kvcache-native-run, as a CLOSED-shaped tree): each must parse and hold what the aggregate
// reads (and every rank the summary counts must have one: 6.3.3); otherwise an error names the file.

const RANK_FOLDER = `${KV_LEAF}/option_2/trial_1/rank_1`
const RANK_FILE = `${RANK_FOLDER}/kvcache_results_20261123_010938.json`

async function errors(root: string): Promise<Finding[]> {
  const report = verifyTree(await loadResultsTree(root, await firstPartyCatalogue()), editionV3Corrected)
  return report.findings.filter(finding => finding.severity === 'error')
}

describe('verify: a KV-cache leaf\'s per-rank result files (the real native run\'s)', function () {
  this.timeout(60_000)
  let intact: string

  before(() => {
    intact = tempDir('mlps-kv-ranks-')
    writeValidKvTree(intact)
  })

  /** the tree with the rank file changed by `mutate` (undefined deletes it) */
  function mutant(mutate: (text: string) => string | undefined): string {
    const root = tempDir('mlps-kv-ranks-')
    cpSync(intact, root, {recursive: true})
    const file = join(root, RANK_FILE)
    const changed = mutate(readFileSync(file, 'utf8'))
    if (changed === undefined) rmSync(file)
    else writeFileSync(file, changed)
    return root
  }

  const naming = (findings: Finding[], path: string) => findings.filter(finding => finding.ruleId === 'mlps.tree.unreadableFile' && finding.evidence?.some(evidence => evidence.file === path))

  it('the intact leaf: every rank file read, none flagged', async () => {
    assert.deepEqual((await errors(intact)).filter(finding => finding.ruleId === 'mlps.tree.unreadableFile'), [])
  })

  for (const [name, mutate, message] of [
    ['truncated mid-write', (text: string) => text.slice(0, Math.floor(text.length / 2)), /is not valid JSON/],
    ['not JSON at all', () => 'Traceback (most recent call last):\n', /is not valid JSON/],
    ['without summary.elapsed_time, which the aggregate reads', (text: string) => {
      const document = JSON.parse(text) as {summary: Record<string, unknown>}
      delete document.summary.elapsed_time
      return JSON.stringify(document)
    }, /not a kv-cache\.py results file: summary\.elapsed_time/],
    ['a JSON array', () => '[]', /is not a JSON object/],
  ] as const) {
    it(`a rank file ${name}: an error naming it`, async () => {
      const found = naming(await errors(mutant(mutate)), RANK_FILE)
      assert.equal(found.length, 1, 'one error names the file')
      assert.match(found[0].message, message)
    })
  }

  it('a rank file deleted while the summary counts that rank: 6.3.3 kvcacheRankCompleteness names its folder', async () => {
    const found = (await errors(mutant(() => undefined))).filter(finding => finding.ruleId === '6.3.3 kvcacheRankCompleteness')
    assert.equal(found.length, 1)
    assert.ok(found[0].evidence?.some(evidence => evidence.file === RANK_FOLDER), JSON.stringify(found[0].evidence))
  })
})
