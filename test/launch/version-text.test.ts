import assert from 'node:assert/strict'
import {existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {detectLauncher} from '../../src/launch/detect-launcher.js'
import {tempDir} from '../helpers/cli.js'
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

  it('reads Open MPI\'s "(OpenRTE)" banner, printed when it is not called mpirun', () => {
    assert.deepEqual(parseLauncherVersion('mpirun.openmpi (OpenRTE) 4.1.4\n\nReport bugs to http://www.open-mpi.org/community/help/\n'),
      {kind: 'openmpi', version: '4.1.4', major: 4, implementation: 'Open MPI'})
    assert.equal(parseLauncherVersion('mpiexec (OpenRTE) 4.1.4\n')?.kind, 'openmpi')
  })

  it('takes launcher.bin mpirun.openmpi or mpiexec as the Open MPI they are (real binaries)', async function () {
    if (!existsSync('/usr/bin/mpirun.openmpi')) this.skip()
    for (const bin of ['/usr/bin/mpirun.openmpi', 'mpiexec.openmpi']) {
      const launcher = await detectLauncher({type: 'openmpi', bin, numProcesses: 2, hosts: [{name: 'localhost'}]})
      assert.deepEqual({kind: launcher.kind, major: launcher.major}, {kind: 'openmpi', major: 4}, bin)
    }
    const auto = await detectLauncher({type: 'auto', bin: '/usr/bin/mpirun.openmpi', numProcesses: 2, hosts: [{name: 'localhost'}]})
    assert.equal(auto.kind, 'openmpi')
  })

  it('type mpich without bin finds MPICH\'s mpiexec.mpich even where mpiexec is Open MPI\'s (real binaries)', async function () {
    if (!existsSync('/usr/bin/mpiexec.mpich')) this.skip()
    const launcher = await detectLauncher({type: 'mpich', numProcesses: 2, hosts: [{name: 'localhost'}]})
    assert.equal(launcher.kind, 'mpich')
    assert.equal(launcher.implementation, 'MPICH (Hydra)')
    assert.match(launcher.bin ?? '', /mpiexec\.(mpich|hydra)$/)
  })

  it('type mpich where only Open MPI is installed: MPICH is missing, with the MPICH install command', async () => {
    const bin = tempDir()
    writeFileSync(join(bin, 'mpiexec'), '#!/bin/sh\necho "mpiexec (OpenRTE) 4.1.4"\n', {mode: 0o755})
    await assert.rejects(detectLauncher({type: 'mpich', numProcesses: 2, hosts: [{name: 'localhost'}], env: {PATH: bin}}), (error: Error & {exitCode?: number; fix?: string}) => {
      assert.match(error.message, /an MPICH mpiexec was not found on PATH .*mpiexec is Open MPI 4\.1\.4/)
      assert.equal(error.exitCode, 3)
      assert.match(error.fix ?? '', /apt install mpich/)
      return true
    })
  })

  it('trusts an explicit launcher.type when the binary\'s --version says nothing it knows (a site wrapper)', async () => {
    const bin = tempDir()
    writeFileSync(join(bin, 'site-mpirun'), '#!/bin/sh\necho "site launcher wrapper 2.0"\n', {mode: 0o755})
    assert.deepEqual(await detectLauncher({type: 'openmpi', bin: join(bin, 'site-mpirun'), numProcesses: 2, hosts: [{name: 'localhost'}]}),
      {kind: 'openmpi', bin: join(bin, 'site-mpirun')})
    await assert.rejects(detectLauncher({type: 'auto', bin: join(bin, 'site-mpirun'), numProcesses: 2, hosts: [{name: 'localhost'}]}), /cannot tell which launcher/)
  })
})
