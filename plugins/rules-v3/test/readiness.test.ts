import assert from 'node:assert/strict'
import {cpSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {editionV3Corrected} from '@mlps/plugin-rules-v3'
import {readiness} from '../../../src/status/readiness.js'
import {verifyTree} from '../../../src/verify/evaluate.js'
import {loadResultsTree} from '../../../src/verify/tree-loader.js'
import {firstPartyCatalogue} from '../../../test/helpers/results-catalogue.js'
import {systemDescription, writeSystemFiles} from '../../../test/verify/system-files.js'
import {edit, READ_LEAF, runLeaf, writeValidTree, WRITE_LEAF} from '../../../test/verify/valid-tree.js'

describe('rules-v3 readiness: what mlps status says is missing, on the synthetic valid v3.0 tree', () => {
  let valid: string
  const scratch: string[] = []
  before(() => {
    valid = mkdtempSync(join(tmpdir(), 'mlps-ready-'))
    writeValidTree(valid)
  })
  after(() => {
    for (const dir of [valid, ...scratch]) rmSync(dir, {recursive: true, force: true})
  })
  const statusOf = async (change: (root: string) => void = () => {}) => {
    const root = mkdtempSync(join(tmpdir(), 'mlps-ready-mutant-'))
    scratch.push(root)
    cpSync(valid, root, {recursive: true})
    change(root)
    const tree = await loadResultsTree(root, await firstPartyCatalogue())
    return readiness(tree, verifyTree(tree, editionV3Corrected), editionV3Corrected)
  }
  const missing = (status: Awaited<ReturnType<typeof statusOf>>) => status.items.filter(item => item.kind === 'missing').map(item => `${item.subject}: ${item.line}`)

  it('is ready on the valid tree, with every workload done', async () => {
    const status = await statusOf()
    assert.deepEqual(missing(status), [])
    assert.equal(status.ready, true)
    assert.equal(status.category, 'CLOSED')
    assert.deepEqual(status.done.map(done => done.subject).sort(), ['checkpointing llama3-8b b200', 'systems/sys1.yaml', 'training unet3d b200'])
  })

  it('words each removal as what is left to do', async () => {
    assert.deepEqual(missing(await statusOf(root => {
      rmSync(join(root, runLeaf(5)), {recursive: true})
      rmSync(join(root, runLeaf(4)), {recursive: true})
    })), ['training unet3d b200: 4 of 6 runs'])
    assert.deepEqual(missing(await statusOf(root => rmSync(join(root, WRITE_LEAF), {recursive: true}))), ['checkpointing llama3-8b b200: write invocation missing'])
    assert.deepEqual(missing(await statusOf(root => rmSync(join(root, READ_LEAF), {recursive: true}))), ['checkpointing llama3-8b b200: read invocation missing'])
    assert.deepEqual(missing(await statusOf(root => {
      rmSync(join(root, runLeaf(1), 'fs_separation.json'))
      edit(root, `${runLeaf(2)}/fs_separation.json`, value => {
        value.same_filesystem = true
      })
    })), ['training unet3d b200: fs_separation.json missing in 1 leaf', 'training unet3d b200: data and results on the same filesystem in 1 leaf'])
  })

  it('counts the fields a system description lacks, and names a missing one', async () => {
    const fields = await statusOf(root => {
      const description = systemDescription('sys1') as {system_under_test: {solution: Record<string, unknown>}}
      delete description.system_under_test.solution.usable_capacity_tib
      delete description.system_under_test.solution.availability
      writeSystemFiles(root, 'closed/acme', 'sys1', description)
    })
    assert.deepEqual(missing(fields), ['systems/sys1.yaml: 2 fields to fill'])
    const absent = await statusOf(root => rmSync(join(root, 'closed/acme/systems/sys1.yaml')))
    assert.ok(missing(absent).includes('submission: closed/acme/systems/sys1.yaml missing'), missing(absent).join('\n'))
  })
})
