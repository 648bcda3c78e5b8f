import assert from 'node:assert/strict'
import {MlpsError} from '../../src/errors.js'
import {placeRanks} from '../../src/hosts/placement.js'
import {parseHosts} from '../../src/hosts/parse-hosts.js'

const counts = (hosts: string, n: number) => placeRanks(parseHosts([hosts]), n).hosts.map(host => `${host.name}:${host.ranks}`).join(',')

describe('rank placement (mlpstorage-spec.md §3.4)', () => {
  it('spreads ranks evenly without slots, the remainder one each to the first hosts', () => {
    assert.equal(counts('a,b,c', 8), 'a:3,b:3,c:2')
    assert.equal(counts('a b', 16), 'a:8,b:8')
    assert.equal(counts('node[1-4]', 5), 'node1:2,node2:1,node3:1,node4:1')
  })

  it('leaves out hosts that would get no rank (the reference emitted host:0)', () => {
    assert.equal(counts('a,b,c,d', 2), 'a:1,b:1')
    assert.equal(placeRanks(parseHosts(['a,b,c,d']), 2).slotsGiven, false)
  })

  it('treats slots as capacities: dealt round robin within them, every host kept for the launcher', () => {
    const placement = placeRanks(parseHosts(['a:8,b:8']), 8)
    assert.equal(placement.slotsGiven, true)
    assert.deepEqual(placement.hosts, [{name: 'a', ranks: 4, slots: 8}, {name: 'b', ranks: 4, slots: 8}])
    assert.equal(counts('a:1,b:4', 4), 'a:1,b:3')
    assert.equal(counts('a:2,b:2,c:2', 2), 'a:1,b:1,c:0')
  })

  it('counts a host without slots as one slot when others have slots, as OpenMPI --host does', () => {
    assert.equal(counts('a:3,b', 4), 'a:3,b:1')
    assert.throws(() => placeRanks(parseHosts(['a:3,b']), 5), /offer 4 slots but 5 processes/)
  })

  it('refuses too few slots before anything runs, naming where the hosts came from and a fix', () => {
    assert.throws(() => placeRanks(parseHosts(['node[01-02]:4']), 16, '--hostfile'), (error: unknown) => {
      assert.ok(error instanceof MlpsError)
      assert.equal(error.where, '--hostfile')
      assert.match(error.message, /the hosts offer 8 slots but 16 processes are asked/)
      assert.match(error.fix ?? '', /node01:8/)
      return true
    })
    assert.throws(() => placeRanks(parseHosts(['a']), 0), /at least 1/)
  })
})
