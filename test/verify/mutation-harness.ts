import assert from 'node:assert/strict'
import {editionV3, editionV3Corrected} from '../../plugins/rules-v3/src/editions.js'
import {verifyTree} from '../../src/verify/evaluate.js'
import {loadResultsTree} from '../../src/verify/tree-loader.js'
import {firstPartyCatalogue} from '../helpers/results-catalogue.js'
import {useScratchTrees} from './scratch-trees.js'

export interface Mutation {
  rule: string
  /** what the broken tree's category becomes under 3.0-corrected */
  becomes: 'INVALID' | 'OPEN'
  change(root: string): void
}

/**
 * The mutation test of a valid tree: unbroken it is CLOSED under both v3.0
 * editions with no error; each mutation (one fact broken, on a fresh copy)
 * flips the category and names its rule with the matching severity.
 */
export function describeMutations(title: string, writeValid: (root: string) => void, mutations: Record<string, Mutation>, more?: (copy: (mutation?: Mutation) => string) => void): void {
  describe(title, () => {
    const trees = useScratchTrees(writeValid)
    const copy = (mutation?: Mutation) => trees.copy(mutation?.change)

    it('the unbroken tree is CLOSED under 3.0 and 3.0-corrected, with no errors', async () => {
      const tree = await loadResultsTree(trees.valid(), await firstPartyCatalogue())
      for (const edition of [editionV3, editionV3Corrected]) {
        const report = verifyTree(tree, edition)
        const errors = report.findings.filter(finding => finding.severity === 'error' || finding.openOnly)
        assert.deepEqual(errors, [], `${edition.name}: ${JSON.stringify(errors, null, 1)}`)
        assert.equal(report.category, 'CLOSED', edition.name)
        assert.ok(report.groups.length > 0 && report.groups.every(group => group.category === 'CLOSED'))
      }
    })

    for (const [name, mutation] of Object.entries(mutations)) {
      it(`${name}: ${mutation.becomes} under 3.0-corrected, naming ${mutation.rule}`, async () => {
        const report = verifyTree(await loadResultsTree(copy(mutation), await firstPartyCatalogue()), editionV3Corrected)
        const named = report.findings.filter(finding => finding.ruleId === mutation.rule && !finding.notEvaluable)
        assert.ok(named.length > 0, `no finding of ${mutation.rule}; got ${report.findings.map(finding => `${finding.ruleId}: ${finding.message}`).join('\n')}`)
        assert.equal(report.category, mutation.becomes)
        assert.ok(named.some(finding => mutation.becomes === 'INVALID' ? finding.severity === 'error' : finding.openOnly), JSON.stringify(named))
      })
    }
    more?.(copy)
  })
}
