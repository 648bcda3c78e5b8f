import assert from 'node:assert/strict'
import type {CheckRow} from '../../src/doctor/check.js'
import {rowsToFindings} from '../../src/doctor/check-findings.js'

const row = (host: string, status: CheckRow['status'], detail: string, fix?: string): CheckRow =>
  ({check: 'ssh.reachable', title: 'SSH reachable', host, status, detail, ...(fix ? {fix} : {})})

describe('preflight rows as findings', () => {
  it('one finding for the same check failing the same way on many hosts, naming them all', () => {
    const rows = Array.from({length: 128}, (_, i) => row(`node${i}`, 'fail', `node${i}: connection refused`, 'start sshd'))
    const findings = rowsToFindings([...rows, row('head', 'ok', 'reachable')])
    assert.equal(findings.length, 1)
    assert.equal(findings[0].severity, 'error')
    assert.match(findings[0].message, /^node0: node0: connection refused; .*node3: .*; and 124 more host\(s\): node4, node5, .*node127$/)
    assert.equal(findings[0].evidence?.length, 128)
  })

  it('keeps apart what differs in status or fix', () => {
    const findings = rowsToFindings([row('a', 'fail', 'refused', 'start sshd'), row('b', 'fail', 'auth', 'add the key'), row('c', 'skip', 'no facts')])
    assert.deepEqual(findings.map(f => [f.severity, f.fix, f.notEvaluable]), [['error', 'start sshd', undefined], ['error', 'add the key', undefined], ['info', undefined, true]])
  })
})
