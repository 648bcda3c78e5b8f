import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {appendHistoryStart, readHistory} from '../../src/history/history.js'
import {currentProcess, processState} from '../../src/launch/process-identity.js'
import {tempDir} from '../helpers/cli.js'

describe('telling a live mlps process from a gone one (pid, host, boot id, start time)', () => {
  const me = currentProcess()

  it('this process is alive; the same pid with another start time is a later process: the recorded one is gone', () => {
    assert.equal(processState(me, me.hostname).state, 'alive')
    assert.ok(me.startTicks !== undefined && me.bootId, 'Linux gives both')
    const reused = {...me, startTicks: me.startTicks! + 1}
    assert.deepEqual(processState(reused, me.hostname), {state: 'gone', detail: `process ${me.pid} ended; the pid now belongs to another process`})
    assert.equal(processState({...me, bootId: 'another-boot'}, me.hostname).state, 'gone')
    const exited = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'}).stdout)
    assert.deepEqual(processState({pid: exited, hostname: me.hostname}, me.hostname), {state: 'gone', detail: `process ${exited} no longer exists`})
  })

  it('on another host it cannot tell, and says so', () => {
    assert.deepEqual(processState(me, 'elsewhere'), {state: 'unknown', detail: `it ran on ${me.hostname}, not on this host (elsewhere): cannot tell from here whether it still runs`})
  })

  it('history: an unfinished invocation whose pid now belongs to another process is killed, not running', async () => {
    const file = join(tempDir(), 'history.jsonl')
    const line = {time: new Date().toISOString(), command: 'training run', argv: ['training', 'run'], cwd: '/', mlpsVersion: '0.1.0'}
    await appendHistoryStart(file, {...line, id: 'reused', ...me, startTicks: me.startTicks! + 1})
    await appendHistoryStart(file, {...line, id: 'live', ...me})
    const entries = await readHistory(file, me.hostname)
    assert.deepEqual(entries.map(entry => [entry.status, entry.liveness]), [
      ['killed', `process ${me.pid} ended; the pid now belongs to another process`], ['running', `process ${me.pid} still runs`]])
  })
})
