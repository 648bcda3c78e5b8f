import assert from 'node:assert/strict'
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {MlpsError} from '../../src/errors.js'
import {initTree} from '../../src/results/init-tree.js'
import {checkPortableName} from '../../src/results/portable-name.js'
import {readTreeSentinel, treeSentinelPath} from '../../src/results/tree-sentinel.js'
import {tempDir} from '../helpers/cli.js'

const rejects = (work: () => unknown, pattern: RegExp) => assert.throws(work, (error: unknown) => error instanceof MlpsError && error.exitCode === 2 && pattern.test(error.render()))

describe('results tree sentinel', () => {
  it('is absent from a dir nobody initialised', async () => {
    assert.equal(await readTreeSentinel(tempDir()), undefined)
  })

  it('is written by initTree in .mlps/tree.json with the contract fields, and read back', async () => {
    const root = tempDir()
    const outcome = await initTree(root, 'Acme_Labs-1.0', '9.9.9', new Date('2026-12-01T10:00:00Z'))
    assert.equal(outcome.created, true)
    assert.equal(outcome.file, join(root, '.mlps', 'tree.json'))
    const onDisk = JSON.parse(readFileSync(outcome.file, 'utf8'))
    assert.deepEqual(onDisk, {schemaVersion: 1, organization: 'Acme_Labs-1.0', createdAt: '2026-12-01T10:00:00.000Z', createdBy: {mlps: '9.9.9'}})
    assert.deepEqual(await readTreeSentinel(root), onDisk)
    assert.deepEqual(readdirSync(join(root, '.mlps')), ['tree.json'], 'no temp file is left beside the sentinel')
  })

  it('is idempotent for the same organization and keeps the first createdAt', async () => {
    const root = tempDir()
    await initTree(root, 'acme', '1', new Date('2026-01-01T00:00:00Z'))
    const again = await initTree(root, 'acme', '2', new Date('2026-06-01T00:00:00Z'))
    assert.equal(again.created, false)
    assert.equal((await readTreeSentinel(root))?.createdAt, '2026-01-01T00:00:00.000Z')
  })

  it('refuses another organization (case-sensitive), naming the file and both names', async () => {
    const root = tempDir()
    await initTree(root, 'acme', '1')
    await assert.rejects(initTree(root, 'Acme', '1'), (error: unknown) => {
      assert.ok(error instanceof MlpsError)
      assert.equal(error.exitCode, 2)
      assert.equal(error.where, treeSentinelPath(root))
      assert.match(error.message, /"acme".*not "Acme"/)
      assert.match(error.fix ?? '', /another --results-dir/)
      return true
    })
    assert.equal((await readTreeSentinel(root))?.organization, 'acme')
  })

  it('lets exactly one of two racing inits with different organizations win', async () => {
    const root = tempDir()
    const results = await Promise.allSettled([initTree(root, 'one', '1'), initTree(root, 'two', '1')])
    assert.equal(results.filter(r => r.status === 'fulfilled').length, 1)
    const winner = (results.find(r => r.status === 'fulfilled') as PromiseFulfilledResult<Awaited<ReturnType<typeof initTree>>>).value
    assert.equal((await readTreeSentinel(root))?.organization, winner.sentinel.organization)
  })

  it('names a broken sentinel as bad input instead of treating it as absent', async () => {
    const root = tempDir()
    mkdirSync(join(root, '.mlps'))
    writeFileSync(treeSentinelPath(root), '{"schemaVersion": 1, "organization": "a b"}')
    await assert.rejects(readTreeSentinel(root), (error: unknown) => error instanceof MlpsError && error.exitCode === 2 &&
      error.where === treeSentinelPath(root) && /organization/.test(error.message) && /createdAt/.test(error.message))
    writeFileSync(treeSentinelPath(root), '{not json')
    await assert.rejects(readTreeSentinel(root), /not JSON/)
  })
})

describe('portable names', () => {
  it('accepts the POSIX portable filename characters', () => {
    checkPortableName('Acme.Labs_2-x', 'organization', '--organization')
  })

  it('rejects other characters, naming the source, the character and a replacement', () => {
    rejects(() => checkPortableName('acme labs', 'organization', '--organization'), /^--organization: .*" "[\s\S]*fix: use "acme-labs"/)
    rejects(() => checkPortableName('sut/1', 'system name', 'systemName in mlps.config.json'), /systemName in mlps\.config\.json: .*"\/"/)
    rejects(() => checkPortableName('größe', 'system name', 'MLPS_SYSTEM_NAME'), /"ö"/)
  })

  it('rejects empty names and names the tree loader would skip as private', () => {
    rejects(() => checkPortableName('', 'organization', '--organization'), /empty/)
    rejects(() => checkPortableName('.hidden', 'organization', '--organization'), /starts with "\."/)
    rejects(() => checkPortableName('..', 'system name', '--system-name'), /starts with "\."/)
  })
})
