import assert from 'node:assert/strict'
import {loadConfig} from '../../src/config/load-config.js'
import {MlpsError} from '../../src/errors.js'
import {resolveHostsWithOrigin} from '../../src/hosts/resolve-hosts.js'
import {expandTasksPerNode, slurmAllocation, slurmAllocationFinding} from '../../src/hosts/slurm-allocation.js'
import {tempDir} from '../helpers/cli.js'

describe('a Slurm allocation as the host list', () => {
  it('expands the node list in hostlist syntax, zero padding kept, with SLURM_TASKS_PER_NODE\'s compressed counts as slots', () => {
    const allocation = slurmAllocation({SLURM_JOB_NODELIST: 'node[01-03,07],gpu5', SLURM_TASKS_PER_NODE: '2(x3),1,4'})
    assert.deepEqual(allocation?.hosts, [{name: 'node01', slots: 2}, {name: 'node02', slots: 2}, {name: 'node03', slots: 2}, {name: 'node07', slots: 1}, {name: 'gpu5', slots: 4}])
    assert.deepEqual(allocation?.variables, {SLURM_JOB_NODELIST: 'node[01-03,07],gpu5', SLURM_TASKS_PER_NODE: '2(x3),1,4'})
  })

  it('takes the older SLURM_NODELIST, SLURM_NTASKS_PER_NODE for every node, or no slots when Slurm gives no counts', () => {
    assert.deepEqual(slurmAllocation({SLURM_NODELIST: 'cn[8-10]', SLURM_NTASKS_PER_NODE: '4'})?.hosts, [{name: 'cn8', slots: 4}, {name: 'cn9', slots: 4}, {name: 'cn10', slots: 4}])
    assert.deepEqual(slurmAllocation({SLURM_JOB_NODELIST: 'rack[1-2]-n[1-2]'})?.hosts, [{name: 'rack1-n1'}, {name: 'rack1-n2'}, {name: 'rack2-n1'}, {name: 'rack2-n2'}])
    assert.equal(slurmAllocation({}), undefined)
    assert.equal(slurmAllocation({SLURM_JOB_NODELIST: ' '}), undefined)
  })

  it('refuses counts that do not cover the node list, or are not Slurm\'s, naming the variable', () => {
    const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
      [{SLURM_JOB_NODELIST: 'n[1-3]', SLURM_TASKS_PER_NODE: '2(x2)'}, /SLURM_TASKS_PER_NODE="2\(x2\)" gives counts for 2 nodes but the node list has 3/],
      [{SLURM_JOB_NODELIST: 'n1', SLURM_TASKS_PER_NODE: 'two'}, /"two", which is not a count or count\(xN\)/],
      [{SLURM_JOB_NODELIST: 'n1', SLURM_NTASKS_PER_NODE: '0'}, /SLURM_NTASKS_PER_NODE gives "0" tasks/],
      [{SLURM_JOB_NODELIST: 'n[3-1]'}, /descending range/],
      [{SLURM_JOB_NODELIST: 'n1:4'}, /not a Slurm node list/],
    ]
    for (const [env, message] of cases) {
      assert.throws(() => slurmAllocation(env), (error: unknown) => error instanceof MlpsError && message.test(error.message) && Boolean(error.fix), JSON.stringify(env))
    }
    assert.deepEqual(expandTasksPerNode('1(x2),3', 3, 'X'), [1, 1, 3])
  })

  it('is used only when no hosts were given: --hosts, MLPS_HOSTS, the config file and --hostfile win over it', async () => {
    const env = {SLURM_JOB_NODELIST: 'node[01-02]', SLURM_TASKS_PER_NODE: '2(x2)'}
    const cwd = tempDir()
    const resolvedDefault = await loadConfig({cwd, env: {}})
    const fromSlurm = await resolveHostsWithOrigin(resolvedDefault, undefined, env)
    assert.deepEqual(fromSlurm.hosts, [{name: 'node01', slots: 2}, {name: 'node02', slots: 2}])
    assert.match(slurmAllocationFinding(fromSlurm.slurm!).message, /no hosts given: using the Slurm allocation's nodes node01:2,node02:2 \(SLURM_JOB_NODELIST=node\[01-02\], SLURM_TASKS_PER_NODE=2\(x2\)\)/)
    const outside = await resolveHostsWithOrigin(resolvedDefault, undefined, {})
    assert.deepEqual([outside.hosts, outside.slurm], [[{name: 'localhost'}], undefined])
    const given = await resolveHostsWithOrigin(await loadConfig({cwd, env: {MLPS_HOSTS: 'a,b'}}), undefined, env)
    assert.deepEqual([given.hosts.map(host => host.name), given.slurm], [['a', 'b'], undefined])
  })
})
