import assert from 'node:assert/strict'
import {hostsRoundRobin} from '../../src/hosts/placement.js'
import {RankFailureReader} from '../../src/launch/rank-failure.js'

function read(reader: RankFailureReader, text: string): string | undefined {
  for (const line of text.split('\n')) reader.line(line)
  return reader.failure
}

// the launchers' own words, as the launch lab recorded them (Open MPI 4.1.4, MPICH 4.0.2, Slurm 22.05)
const OPEN_MPI = `--------------------------------------------------------------------------
mpirun detected that one or more processes exited with non-zero status, thus causing
the job to be terminated. The first process to do so was:

  Process name: [[25607,1],1]
  Exit code:    3
--------------------------------------------------------------------------`
const HYDRA = `===================================================================================
=   BAD TERMINATION OF ONE OF YOUR APPLICATION PROCESSES
=   PID 4691 RUNNING AT 127.0.0.3
=   EXIT CODE: 9
=   CLEANING UP REMAINING PROCESSES`

describe('naming the rank that failed, from the launcher\'s own output', () => {
  it('Open MPI: the rank, and its host when mlps chose the mapping', () => {
    assert.equal(read(new RankFailureReader('openmpi', ['127.0.0.2', '127.0.0.3', '127.0.0.4']), OPEN_MPI), 'rank 1 on 127.0.0.3 exited with code 3')
    assert.equal(read(new RankFailureReader('openmpi'), OPEN_MPI), 'rank 1 exited with code 3')
  })

  it('srun: the node and the task; Hydra: the host of a rank that died badly', () => {
    assert.equal(read(new RankFailureReader('slurm'), 'srun: error: vm: task 1: Exited with exit code 3'), 'task 1 on vm: exited with code 3')
    assert.equal(read(new RankFailureReader('mpich'), HYDRA), 'a rank on 127.0.0.3 ended badly (exit code 9)')
    assert.equal(read(new RankFailureReader('mpich'), 'rank 1 printed [1] Exit code: 3'), undefined)
  })

  it('deals ranks round robin over the hosts, as --map-by node does', () => {
    assert.deepEqual(hostsRoundRobin({hosts: [{name: 'a', ranks: 2}, {name: 'b', ranks: 1}, {name: 'c', ranks: 0}], numProcesses: 3, slotsGiven: true}), ['a', 'b', 'a'])
  })
})
