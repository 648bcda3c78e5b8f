import assert from 'node:assert/strict'
import {detectLauncher} from '../../src/launch/detect-launcher.js'
import {parseLauncherVersion} from '../../src/launch/version-text.js'

describe('launcher detection from --version', () => {
  it('tells the families and versions apart', () => {
    assert.deepEqual(parseLauncherVersion('mpirun (Open MPI) 4.1.4\n\nReport bugs to http://www.open-mpi.org/community/help/\n'),
      {kind: 'openmpi', version: '4.1.4', major: 4, implementation: 'Open MPI'})
    assert.deepEqual(parseLauncherVersion('mpirun (Open MPI) 5.0.7\n'), {kind: 'openmpi', version: '5.0.7', major: 5, implementation: 'Open MPI'})
    assert.equal(parseLauncherVersion('mpirun (IBM Spectrum MPI) 10.4.0.03rtm0')?.major, 4)
    assert.deepEqual(parseLauncherVersion('HYDRA build details:\n    Version:                                 4.1.2\n    Release Date:                            Wed Jun  7 15:22:45 CDT 2023\n'),
      {kind: 'mpich', version: '4.1.2', major: 4, implementation: 'MPICH (Hydra)'})
    assert.equal(parseLauncherVersion('Intel(R) MPI Library for Linux* OS, Version 2021.11 Build 20231005 (id: 74c4a23)')?.kind, 'mpich')
    assert.deepEqual(parseLauncherVersion('slurm 23.02.7\n'), {kind: 'slurm', version: '23.02.7', major: 23, implementation: 'Slurm'})
    assert.equal(parseLauncherVersion('mpiexec version 1.2.12 (HPE Cray PALS)'), undefined)
  })

  it('finds the Open MPI 4.1 installed here through auto detection (real mpirun --version)', async () => {
    const launcher = await detectLauncher({type: 'auto', numProcesses: 4, hosts: [{name: 'localhost'}], env: {PATH: process.env.PATH}})
    assert.equal(launcher.kind, 'openmpi')
    assert.equal(launcher.major, 4)
    assert.match(launcher.bin ?? '', /mpirun$/)
  })

  it('without any launcher: local for one process here, else an environment error with the install command', async () => {
    const empty = {PATH: '/nonexistent'}
    assert.deepEqual(await detectLauncher({type: 'auto', numProcesses: 1, hosts: [{name: 'localhost'}], env: empty}), {kind: 'local'})
    await assert.rejects(detectLauncher({type: 'auto', numProcesses: 8, hosts: [{name: 'localhost'}], env: empty}), (error: Error & {exitCode?: number; fix?: string}) => error.exitCode === 3 && /apt install openmpi-bin/.test(error.fix ?? ''))
    await assert.rejects(detectLauncher({type: 'mpich', numProcesses: 2, hosts: [{name: 'localhost'}], env: empty}), /mpiexec was not found on PATH/)
  })

  it('refuses a configured type that the binary contradicts', async () => {
    await assert.rejects(detectLauncher({type: 'mpich', bin: 'mpirun', numProcesses: 2, hosts: [{name: 'localhost'}]}), /launcher.type says mpich but .*mpirun is Open MPI/)
  })
})
