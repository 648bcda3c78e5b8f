import assert from 'node:assert/strict'
import {hostname, networkInterfaces} from 'node:os'
import {isLocalHost} from '../../src/hosts/local-host.js'
import {parseJson, runCli, tempDir} from '../helpers/cli.js'

describe('"this machine": one definition for launchers, engines and collectors', () => {
  it('is localhost, 127.0.0.1, ::1, this host\'s names and its interfaces\' addresses; other loopback addresses are hosts', () => {
    for (const name of ['localhost', 'LOCALHOST', 'localhost.localdomain', '127.0.0.1', '::1', hostname(), hostname().split('.')[0]]) assert.ok(isLocalHost(name), name)
    const own = Object.values(networkInterfaces()).flatMap(list => list ?? []).map(address => address.address)
    for (const address of own) assert.ok(isLocalHost(address), address)
    for (const name of ['127.0.0.2', '127.0.0.4', '127.1.2.3', 'node01']) assert.ok(!isLocalHost(name), name)
  })

  it('the native engine refuses --hosts 127.0.0.2,127.0.0.3 when it cannot start a worker there, before anything starts, instead of running both "hosts" here (built CLI)', async () => {
    const results = tempDir()
    // no sshd answers on these addresses for this user: the preflight's probe launch cannot reach them
    const result = await runCli(['checkpointing', 'run', '--model', 'llama3-8b', '--num-processes', '2', '--mode', 'default', '--hosts', '127.0.0.2,127.0.0.3', '--engine', 'native',
      '--checkpoint-folder', results, '--results-dir', results, '--client-host-memory-in-gb', '24', '--scale', '0.001', '--json'])
    const output = parseJson<{record: {findings: Array<{ruleId: string; severity: string; message: string}>; commands: unknown[]}}>(result)
    assert.equal(result.exitCode, 3, result.stderr)
    assert.deepEqual(output.record.commands, [])
    const finding = output.record.findings.find(f => f.ruleId === 'native.rendezvous')
    assert.equal(finding?.severity, 'error', JSON.stringify(output.record.findings))
    assert.match(finding?.message ?? '', /127\.0\.0\.2, 127\.0\.0\.3 did not reach the rendezvous/, JSON.stringify(output.record.findings))
  })
})
