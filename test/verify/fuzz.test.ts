import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {editionV3Corrected} from '../../plugins/rules-v3/src/editions.js'
import {buildResultsReport} from '../../src/report/write-report.js'
import {verifyTree} from '../../src/verify/evaluate.js'
import {loadResultsTree} from '../../src/verify/tree-loader.js'
import {writeValidKvTree} from './kvcache-tree.js'
import {writeValidTree} from './valid-tree.js'
import {writeValidVdbTree} from './vectordb-tree.js'
import {firstPartyCatalogue} from '../helpers/results-catalogue.js'
import {copyPublishedV1, editionV1, filesUnder, seededRandom} from './fuzz-setup.js'

const DAMAGE: Array<(text: string, next: () => number) => string | undefined> = [
  text => text.slice(0, Math.floor(text.length / 2)), // truncated mid-write
  () => '', // empty
  text => text.replaceAll(/"(\w+)": (\d+(\.\d+)?)/g, '"$1": "$2x"'), // numbers become junk strings
  text => text.replaceAll(/"(\w+)": \[/g, '"$1": {"was": ['), // arrays become objects (unbalanced: invalid)
  text => text.replaceAll('true', '"yes"').replaceAll('"success"', '42'), // mistyped booleans and verdicts
  () => 'null',
  () => '[1, 2, 3]',
  () => undefined, // deleted
]

describe('fuzz: truncated, mistyped and missing files never crash the loader, verify or reportgen', () => {
  const scratch: string[] = []
  after(() => scratch.forEach(dir => rmSync(dir, {recursive: true, force: true})))

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seed ${seed}: training, checkpointing, KV-cache and vector-database leaves, v1.0 and v3.0 trees`, async () => {
      const root = mkdtempSync(join(tmpdir(), 'mlps-fuzz-'))
      scratch.push(root)
      writeValidTree(join(root, 'v3'))
      writeValidKvTree(join(root, 'kv'))
      writeValidVdbTree(join(root, 'vdb'))
      copyPublishedV1(join(root, 'v1'), [['DDN', 'AI400X2T_24x14TiB_nvme_8xNDR200_18clients'], ['Hammerspace', 'Hammerspace_unet3d_5Client_A100']], {descriptions: false})
      const next = seededRandom(seed)
      const files = filesUnder(root).map(file => join(root, file))
      let damaged = 0
      for (const file of files) {
        if (next() > 0.35) continue
        const damage = DAMAGE[Math.floor(next() * DAMAGE.length)]
        const result = damage(readFileSync(file, 'utf8'), next)
        if (result === undefined) rmSync(file)
        else writeFileSync(file, result)
        damaged++
      }
      assert.ok(damaged > 0)
      const tree = await loadResultsTree(root, await firstPartyCatalogue())
      const v1 = await editionV1()
      for (const edition of [editionV3Corrected, v1]) {
        const report = verifyTree(tree, edition)
        assert.ok(['CLOSED', 'OPEN', 'INVALID', 'UNVERIFIED'].includes(report.category))
        const {report: results} = buildResultsReport(tree, edition, await firstPartyCatalogue())
        JSON.stringify(results)
      }
      const problems = [...tree.problems, ...tree.runs.flatMap(run => run.problems)]
      assert.ok(problems.length > 0, 'damaged files are reported')
      assert.ok(problems.every(problem => problem.evidence?.[0]?.file), 'each names its file')
    })
  }
})
