import assert from 'node:assert/strict'
import {MlpsError} from '../../src/errors.js'
import {parseHosts} from '../../src/hosts/parse-hosts.js'

describe('host specs', () => {
  it('expands lists, ranges with padding, and slots', () => {
    assert.deepEqual(parseHosts(['node[01-03]:8, gpu[1-2,7] extra']), [
      {name: 'node01', slots: 8}, {name: 'node02', slots: 8}, {name: 'node03', slots: 8},
      {name: 'gpu1'}, {name: 'gpu2'}, {name: 'gpu7'}, {name: 'extra'},
    ])
  })

  it('merges duplicates by adding their slots', () => {
    assert.deepEqual(parseHosts(['a:2', 'a:3', 'b', 'b']), [{name: 'a', slots: 5}, {name: 'b'}])
  })

  it('rejects bad specs naming the flag and the fix', () => {
    assert.throws(() => parseHosts(['node[5-2]']), (error: unknown) => error instanceof MlpsError && /descending range/.test(error.message) && error.where === '--hosts')
    assert.throws(() => parseHosts(['a:0']), /zero slots/)
    assert.throws(() => parseHosts(['node[x-y]']), /bad range/)
    assert.throws(() => parseHosts([' ']), /no hosts given/)
  })
})
