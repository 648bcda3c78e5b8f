import assert from 'node:assert/strict'
import {cpus, hostname} from 'node:os'
import {MlpsConfigSchema} from '../../../src/config/schema.js'
import {gatherLocal} from '../../../src/cluster/gather-local.js'
import {hostFactsFromRaw} from '../../../src/cluster/host-facts-from-raw.js'
import {mpiSnapshot, RankFrames, splitLabelledLine, startMpiSampler} from '@mlps/plugin-collector-mpi'
import {writeSharedFsProbe} from '../../../src/cluster/shared-fs-probe.js'
import {tempDir} from '../../../test/helpers/cli.js'

// launcher.type openmpi: real mpirun even for one local host (auto would pick it too; this says so); we run as root,
// so the launch layer adds --allow-run-as-root (allowRunAsRoot: auto)
const config = MlpsConfigSchema.parse({launcher: {type: 'openmpi'}})

describe('mpi collector through real mpirun (Open MPI) on localhost', () => {
  it('one gatherer rank per host prints the same facts as the in-process gatherer, and the shared-filesystem probe', async () => {
    const probe = await writeSharedFsProbe(tempDir())
    const snapshot = await mpiSnapshot({hosts: [{name: 'localhost'}], config, probe})
    await probe.remove()
    assert.deepEqual(snapshot.missing, [])
    const [facts] = snapshot.hosts
    assert.equal(facts.collector, 'mpi')
    assert.equal(facts.hostname, hostname())
    assert.equal(facts.stable.cpu.threads, cpus().length)
    const local = hostFactsFromRaw(gatherLocal('snapshot'), {host: 'localhost', collector: 'test', clock: {offsetMs: 0, uncertaintyMs: 0}})
    assert.equal(facts.fingerprint, local.fingerprint)
    assert.deepEqual(snapshot.probe?.visibleOn, ['localhost'])
  })

  it('samples through one long-running launch and stops it', async () => {
    const sampler = await startMpiSampler({hosts: [{name: 'localhost'}], config, intervalSeconds: 0.4})
    await new Promise(resolve => setTimeout(resolve, 2000))
    const series = await sampler.stop()
    assert.deepEqual(series.missing, [])
    assert.ok(series.samplesByHost.localhost.length >= 2, `${series.samplesByHost.localhost.length} samples`)
    assert.ok(series.cost.hostCpuMsPerSample !== null)
  })

  it('a sampler stopped as soon as it started still has every host\'s first frame: start waits for them, so a short run is covered', async () => {
    const sampler = await startMpiSampler({hosts: [{name: 'localhost'}], config, intervalSeconds: 10})
    const series = await sampler.stop()
    assert.deepEqual(series.missing, [])
    assert.equal(series.samplesByHost.localhost.length, 1)
  })

  it('a failing launch leaves every host missing with the launcher\'s reason', async () => {
    const broken = MlpsConfigSchema.parse({launcher: {type: 'openmpi', extraArgs: ['--no-such-open-mpi-flag']}})
    const snapshot = await mpiSnapshot({hosts: [{name: 'localhost'}], config: broken})
    assert.deepEqual(snapshot.hosts, [])
    assert.equal(snapshot.missing[0].reason, 'command')
    assert.match(snapshot.missing[0].message, /mpirun/)
  })

  it('reassembles a rank\'s line that Open MPI\'s --tag-output cut mid-line and interleaved with another rank', () => {
    const frame = ['@@begin mlps-gather/1 sample', '@@time 1700000000.5', '@@file /proc/loadavg', '0.50 0.75 0.80 2/500 12345', '@@times', '0m0.01s 0m0.00s', '@@end']
    const got: Array<[number, string | undefined]> = []
    const reader = new RankFrames('openmpi', (rank, raw) => got.push([rank, raw.files['/proc/loadavg']]))
    reader.line('[1,0]<stdout>:@@begin mlps-gather/1 sample', 'stdout')
    reader.line('[1,1]<stdout>:@@begin mlps-gather/1 sample', 'stdout')
    reader.line('[1,0]<stdout>:@@time 1700000000.5', 'stdout')
    reader.line('[1,0]<stdout>:@@file /proc/loadavg', 'stdout')
    reader.line('[1,0]<stdout>:0.50 0.75 0.8[1,1]<stdout>:@@time 1700000000.6', 'stdout')
    reader.line('[1,0]<stdout>:0 2/500 12345', 'stdout')
    for (const line of frame.slice(4)) reader.line(`[1,0]<stdout>:${line}`, 'stdout')
    for (const line of frame.slice(2)) reader.line(`[1,1]<stdout>:${line}`, 'stdout')
    reader.line('mpirun: some launcher chatter', 'stderr')
    assert.deepEqual(got, [[0, '0.50 0.75 0.80 2/500 12345\n'], [1, '0.50 0.75 0.80 2/500 12345\n']])
    assert.deepEqual(reader.errors, [])
    assert.deepEqual(reader.chatter, ['mpirun: some launcher chatter'])
  })

  it('takes MPICH\'s "[N] " label at the start of a line only: a rank\'s own "[5] " is its text', () => {
    assert.deepEqual(splitLabelledLine('mpich', '[1] @@file /proc/[5] mounts'), [{rank: 1, text: '@@file /proc/[5] mounts'}])
    assert.deepEqual(splitLabelledLine('mpich', '[0] epoch [3] done'), [{rank: 0, text: 'epoch [3] done'}])
    assert.equal(splitLabelledLine('mpich', 'hydra: [2] chatter'), undefined)
    assert.deepEqual(splitLabelledLine('slurm', '3: step [1] 2: done'), [{rank: 3, text: 'step [1] 2: done'}])
  })
})
