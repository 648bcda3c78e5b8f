import assert from 'node:assert/strict'
import {appendFileSync} from 'node:fs'
import {join} from 'node:path'
import {appendHistory, historyEntry, readHistory} from '../../src/history/history.js'
import {containsRedaction, redactArgv} from '../../src/history/redact.js'
import {tempDir} from '../helpers/cli.js'

describe('history', () => {
  it('never keeps secrets from flags or --param values', () => {
    const argv = ['training', 'run', '--ssh-password', 'hunter2', '--s3-secret-key=abc', '--param', 'storage.access_key_id=AKIA', '--model', 'unet3d', '--api-token', 't0k']
    const redacted = redactArgv(argv)
    assert.deepEqual(redacted, ['training', 'run', '--ssh-password', '***', '--s3-secret-key=***', '--param', 'storage.access_key_id=***', '--model', 'unet3d', '--api-token', '***'])
    assert.ok(!redacted.join(' ').match(/hunter2|abc|AKIA|t0k/))
    assert.ok(containsRedaction(redacted))
    assert.ok(!containsRedaction(['--model', 'unet3d']))
  })

  it('appends entries, numbers them by line, and survives a torn line', async () => {
    const file = join(tempDir(), 'history.jsonl')
    const entry = {time: new Date().toISOString(), command: 'config show', argv: ['config', 'show'], cwd: '/', exitCode: 0, durationSeconds: 0.2, mlpsVersion: '0.1.0'}
    await appendHistory(file, entry)
    appendFileSync(file, '{"time": "torn\n')
    await appendHistory(file, {...entry, exitCode: 2})
    const entries = await readHistory(file)
    assert.deepEqual(entries.map(e => [e.number, e.exitCode]), [[1, 0], [3, 2]])
    assert.equal((await historyEntry(file, 3)).exitCode, 2)
    await assert.rejects(historyEntry(file, 2), /no entry 2 \(entries: 1\.\.3\)/)
  })
})
