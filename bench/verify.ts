import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {editionV3} from '../plugins/rules-v3/src/editions.js'
import {buildResultsReport, writeResultsReport} from '../src/report/write-report.js'
import {verifyTree} from '../src/verify/evaluate.js'
import {loadResultsTree} from '../src/verify/tree-loader.js'
import {writeValidTree} from '../test/verify/valid-tree.js'
import {firstPartyCatalogue} from '../test/helpers/results-catalogue.js'
import {bestOfThreeMs} from './figures.js'

const COPIES = 125 // × 8 leaves (6 runs, datasize, datagen) = 1,000 training leaves, plus 2 checkpoint leaves per copy

/**
 * Time `verify` (load + rules) and `reportgen` (load + rules + rows +
 * files) over a synthetic tree of 1,000 run leaves. Baseline, measured in
 * the same run: reading every file of the tree and JSON-parsing the JSON
 * ones, the least any verifier must do.
 */
export async function benchVerify(): Promise<Record<string, unknown>> {
  const root = mkdtempSync(join(tmpdir(), 'mlps-bench-verify-'))
  try {
    for (let copy = 0; copy < COPIES; copy++) writeValidTree(join(root, `copy${copy}`))
    const files = (readdirSync(root, {recursive: true, encoding: 'utf8'})).map(name => join(root, name)).filter(path => statSync(path).isFile())
    const baselineMs = await bestOfThreeMs(async () => {
      // the system YAML and PDF of each copy are read too; only JSON is parsed
      for (const file of files) {
        const text = readFileSync(file, 'utf8')
        if (file.endsWith('.json')) JSON.parse(text)
      }
    })
    let leaves = 0
    const verifyMs = await bestOfThreeMs(async () => {
      const tree = await loadResultsTree(root, await firstPartyCatalogue())
      leaves = tree.runs.length
      verifyTree(tree, editionV3)
    })
    const output = join(root, 'report')
    const reportgenMs = await bestOfThreeMs(async () => {
      const {report} = buildResultsReport(await loadResultsTree(root, await firstPartyCatalogue()), editionV3, await firstPartyCatalogue())
      await writeResultsReport(report, await firstPartyCatalogue(), root, output)
    })
    return {
      bench: 'verify', leaves, files: files.length,
      baselineReadParseMs: Math.round(baselineMs), verifyMs: Math.round(verifyMs), reportgenMs: Math.round(reportgenMs),
      verifyVsBaseline: Number((verifyMs / baselineMs).toFixed(2)), reportgenVsBaseline: Number((reportgenMs / baselineMs).toFixed(2)),
    }
  } finally {
    rmSync(root, {recursive: true, force: true})
  }
}
