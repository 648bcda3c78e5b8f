import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {appendFileSync} from 'node:fs'
import {join} from 'node:path'
import {appendHistoryEnd, appendHistoryStart, historyEntry, readHistory} from '../../src/history/history.js'
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

  const start = (id: string, pid = process.pid) => ({id, time: new Date().toISOString(), command: 'config show', argv: ['config', 'show'], cwd: '/', pid, hostname: 'here', mlpsVersion: '0.1.0'})

  it('joins each start to its end, numbers invocations in the order they started, and skips a torn line', async () => {
    const file = join(tempDir(), 'history.jsonl')
    await appendHistoryStart(file, start('a'))
    appendFileSync(file, '{"time": "torn\n')
    await appendHistoryStart(file, start('b'))
    await appendHistoryEnd(file, {id: 'b', time: new Date().toISOString(), exitCode: 2, durationSeconds: 0.1})
    await appendHistoryEnd(file, {id: 'a', time: new Date().toISOString(), exitCode: 0, durationSeconds: 0.3, leaf: '/r/leaf'})
    const entries = await readHistory(file, 'here')
    assert.deepEqual(entries.map(e => [e.number, e.status, e.exitCode, e.leaf]), [[1, 'completed', 0, '/r/leaf'], [2, 'failed', 2, undefined]])
    assert.equal((await historyEntry(file, 2)).exitCode, 2)
    await assert.rejects(historyEntry(file, 3), /no entry 3 \(entries: 1\.\.2\)/)
  })

  it('a start without an end is running while its process lives, killed once it is gone; interrupted and older one-line entries read too', async () => {
    const file = join(tempDir(), 'history.jsonl')
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'})
    await appendHistoryStart(file, start('alive'))
    await appendHistoryStart(file, start('dead', Number(gone.stdout)))
    await appendHistoryStart(file, start('stopped'))
    await appendHistoryEnd(file, {id: 'stopped', time: new Date().toISOString(), exitCode: 130, durationSeconds: 2})
    appendFileSync(file, JSON.stringify({time: '2026-11-30T10:00:00.000Z', command: 'doctor', argv: ['doctor'], cwd: '/', exitCode: 3, durationSeconds: 1, mlpsVersion: '0.1.0'}) + '\n')
    const entries = await readHistory(file, 'here')
    assert.deepEqual(entries.map(e => [e.number, e.status]), [[1, 'running'], [2, 'killed'], [3, 'interrupted'], [4, 'failed']])
    // another host's invocation cannot be probed from here: it stays running, never guessed killed
    assert.equal((await readHistory(file, 'elsewhere'))[1].status, 'running')
  })
})
