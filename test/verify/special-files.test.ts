import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {cpSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {loadResultsTree} from '../../src/verify/tree-loader.js'
import {firstPartyCatalogue} from '../helpers/results-catalogue.js'
import {NATIVE_KV_LEAF} from './kvcache-tree.js'

describe('tree loader on FIFOs in a results tree', function () {
  // a FIFO opened for reading blocks until a writer comes: before the fix this test never finished
  this.timeout(30_000)

  it('skips a FIFO in place of a result file and a stray one, each with a finding, without blocking', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mlps-fifo-'))
    const leaf = join(root, 'leaf')
    cpSync(NATIVE_KV_LEAF, leaf, {recursive: true})
    const resultFile = 'summary.json'
    execFileSync('rm', [join(leaf, resultFile)])
    execFileSync('mkfifo', [join(leaf, resultFile), join(root, 'stray.pipe')])
    const tree = await loadResultsTree(root, await firstPartyCatalogue())
    const special = tree.problems.filter(problem => problem.ruleId === 'mlps.tree.specialFile').map(problem => problem.message)
    assert.ok(special.some(message => message.startsWith('stray.pipe is a FIFO (named pipe), not a regular file')), special.join('\n'))
    assert.ok(special.some(message => message.startsWith(`leaf/${resultFile} is a FIFO`)), special.join('\n'))
    const unread = [...tree.problems, ...tree.runs.flatMap(run => run.problems)].filter(problem => problem.ruleId === 'mlps.tree.unreadableFile')
    assert.ok(unread.some(problem => problem.message.includes(`${resultFile}: is a FIFO (named pipe), not a regular file, so it was not read`)), JSON.stringify(unread))
  })
})
