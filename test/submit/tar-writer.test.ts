import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {execa} from 'execa'
import {endBlocks, entryBlocks, type TarEntry} from '../../src/submit/tar-writer.js'
import {tempDir} from '../helpers/cli.js'

function archive(entries: TarEntry[], mtime = 0): Buffer {
  const blocks = entries.flatMap(entry => [...entryBlocks(entry, {mtime})])
  const body = Buffer.concat(blocks)
  return Buffer.concat([body, endBlocks(body.byteLength)])
}

const longFolder = Array.from({length: 12}, (_, i) => `folder-${'x'.repeat(20)}-${i}`).join('/')

describe('the tar writer (read back by GNU tar)', () => {
  const entries: TarEntry[] = [
    {path: 'closed', type: 'directory', mode: 0o755},
    {path: 'closed/a.json', type: 'file', mode: 0o644, data: Buffer.from('{"a": 1}\n')},
    {path: 'closed/run.sh', type: 'file', mode: 0o755, data: Buffer.from('#!/bin/sh\necho hi\n')},
    {path: `${'p'.repeat(120)}/${'n'.repeat(90)}.log`, type: 'file', mode: 0o644, data: Buffer.alloc(1000, 7)},
    {path: `${longFolder}/deep-file.json`, type: 'file', mode: 0o644, data: Buffer.from('deep\n')},
    {path: 'ünïcode/名前.txt', type: 'file', mode: 0o644, data: Buffer.from('utf-8 name\n')},
    {path: 'empty.txt', type: 'file', mode: 0o644, data: Buffer.alloc(0)},
  ]

  it('writes entries GNU tar lists and extracts with their names, contents, modes, owner root and the given time', async () => {
    const dir = tempDir()
    const file = join(dir, 'x.tar')
    writeFileSync(file, archive(entries, 1_700_000_000))
    assert.equal(readFileSync(file).byteLength % 10240, 0, 'padded to whole records')
    const listing = (await execa('tar', ['-tvf', file, '--numeric-owner'], {env: {TZ: 'UTC'}})).stdout.split('\n')
    assert.equal(listing.length, entries.length)
    for (const line of listing) assert.match(line, / 0\/0 /)
    assert.ok(listing.every(line => line.includes('2023-11-14 22:13')), listing.join('\n'))
    const names = (await execa('tar', ['-tf', file])).stdout.split('\n')
    assert.deepEqual(names, entries.map(entry => entry.type === 'directory' ? `${entry.path}/` : entry.path))
    const out = join(dir, 'out')
    await execa('mkdir', [out])
    await execa('tar', ['-xf', file, '-C', out])
    for (const entry of entries.filter(e => e.type === 'file')) {
      assert.deepEqual(readFileSync(join(out, entry.path)), Buffer.from(entry.data!), entry.path)
    }
    assert.match(listing[2], /^-rwxr-xr-x /)
    assert.match(listing[1], /^-rw-r--r-- /)
  })

  it('gives the same bytes for the same entries, and different ones for another time', () => {
    const hash = (data: Buffer) => createHash('sha256').update(data).digest('hex')
    assert.equal(hash(archive(entries)), hash(archive(entries)))
    assert.notEqual(hash(archive(entries, 0)), hash(archive(entries, 1)))
  })
})
