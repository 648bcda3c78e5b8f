import assert from 'node:assert/strict'
import {compareLock, renderDifference} from '../../src/lockfile/compare-lock.js'
import type {Lockfile} from '../../src/lockfile/lockfile-schema.js'

const lock: Lockfile = {
  format: 'mlps-lock/1', generatedAt: '2026-01-01T00:00:00Z', generatedBy: {mlps: '0.1.0', host: 'ctl'},
  hosts: {
    node01: {'mlps.install': {mlps: '0.1.0', node: 'v20.20.2'}, 'dlio.python': {python: '3.12.3', numpy: '1.26.4', 'dlio-benchmark': '2.0.0'}},
  },
}

describe('lockfile: compare', () => {
  it('finds nothing when the host matches', () => {
    assert.deepEqual(compareLock(lock, {node01: structuredClone(lock.hosts.node01)}, ['node01']), [])
  })

  it('lists every changed, missing and added version, by host, source and name', () => {
    const current = {node01: {'mlps.install': {mlps: '0.1.0', node: 'v20.20.2'}, 'dlio.python': {python: '3.12.3', numpy: '2.0.0', pandas: '2.2.0'}}}
    const differences = compareLock(lock, current, ['node01'])
    assert.deepEqual(differences.map(renderDifference), [
      'node01 dlio.python dlio-benchmark: the lockfile has 2.0.0, the host has none',
      'node01 dlio.python numpy: the lockfile has 1.26.4, the host has 2.0.0',
      'node01 dlio.python pandas: 2.2.0 is installed but not in the lockfile',
    ])
  })

  it('holds a host the file does not name to the file\'s first host', () => {
    const [difference] = compareLock(lock, {node02: {'mlps.install': {mlps: '0.2.0', node: 'v20.20.2'}, 'dlio.python': lock.hosts.node01['dlio.python']}}, ['node02'])
    assert.equal(difference.against, 'node01')
    assert.equal(renderDifference(difference), 'node02 (against node01) mlps.install mlps: the lockfile has 0.1.0, the host has 0.2.0')
  })

  it('compares only the sources asked for, and says which could not be read', () => {
    assert.deepEqual(compareLock(lock, {node01: {'mlps.install': lock.hosts.node01['mlps.install']}}, ['node01'], {sources: new Set(['mlps.install'])}), [])
    const [unread] = compareLock(lock, {node01: {'mlps.install': lock.hosts.node01['mlps.install']}}, ['node01'], {unevaluated: {node01: {'dlio.python': 'not evaluable: timeout'}}})
    assert.match(renderDifference(unread), /node01 dlio.python: could not be read: not evaluable: timeout/)
  })
})
