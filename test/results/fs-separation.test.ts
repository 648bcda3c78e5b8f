import assert from 'node:assert/strict'
import {type ChildProcess, execFileSync, spawn} from 'node:child_process'
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as delay} from 'node:timers/promises'
import {MlpsConfigSchema} from '../../src/config/schema.js'
import type {CheckContext} from '../../src/doctor/check.js'
import {fsSeparationCheck} from '../../src/doctor/checks/fs-separation.js'
import {localShell, sshShell} from '../../src/doctor/host-shell.js'
import {createLifecycle} from '../../src/lifecycle/lifecycle.js'
import type {EngineDefinition} from '../../src/registry/definitions.js'
import type {Registry} from '../../src/registry/registry.js'
import {majorMinorOf, measureSeparation, parseMountinfo, separationDocument} from '../../src/results/fs-separation.js'
import {tapFsSeparationRecord} from '../../src/results/fs-separation-tap.js'
import {SSHD, SshLab} from '../cluster/ssh-lab.js'
import {tempDir} from '../helpers/cli.js'
import {testContext} from '../helpers/run-context.js'

const leftovers = (dir: string) => readdirSync(dir).filter(name => name.startsWith('.mlps-fs-probe'))

/** a registry holding one benchmark whose option dataFolder is storage under test: all the check reads of it */
const registry = {benchmarks: new Map([['demo', {definition: {storagePaths: {dataFolder: 'data_dir'}, runOptionFlags: {dataFolder: '--data-dir'}}}]])} as unknown as Registry

describe('filesystem separation, measured (device ids, mountinfo, a hard link that must fail with EXDEV)', function () {
  this.timeout(60_000)
  const dir = tempDir('mlps-fssep-')
  const fast = join(dir, 'fast')
  const results = join(dir, 'results')
  let mounted = false

  before(function () {
    mkdirSync(fast)
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', fast], {stdio: 'ignore'})
      mounted = true
    } catch {
      this.skip()
    }
  })
  after(() => {
    if (mounted) execFileSync('umount', [fast])
  })

  it('reads stat\'s st_dev as the kernel encodes it, and mountinfo\'s octal escapes', () => {
    assert.equal(majorMinorOf('fe00'), '254:0')
    assert.equal(majorMinorOf('801'), '8:1')
    assert.equal(majorMinorOf('10082c'), '8:300')
    assert.deepEqual(parseMountinfo('36 35 98:0 / /mnt/my\\040disk rw,noatime master:1 - ext3 /dev/root rw\n'), [{device: '98:0', mountPoint: '/mnt/my disk', fsType: 'ext3', source: '/dev/root'}])
  })

  it('two filesystems (a tmpfs beside the disk): different devices, the hard link fails with EXDEV; paths not created yet are measured where they will be', async () => {
    const measured = await measureSeparation(localShell('localhost'), results, [{role: 'data_dir', option: 'dataFolder', path: join(fast, 'data', 'unet3d')}])
    const [data] = measured.paths
    assert.equal(data.same_filesystem, false)
    assert.deepEqual(data.link, {result: 'EXDEV'})
    assert.deepEqual([data.probed, data.mount_point, data.fs_type], [fast, fast, 'tmpfs'])
    assert.equal(measured.results_dir.probed, dir)
    assert.notEqual(measured.results_dir.fs_type, 'tmpfs')
    assert.notEqual(measured.results_dir.device, data.device)
    const document = separationDocument(results, [measured], new Date())
    assert.equal(document.same_filesystem, false)
    assert.equal(document.method, 'link_exdev')
    assert.deepEqual([...leftovers(fast), ...leftovers(dir)], [], 'the probe removes its files')
  })

  it('one filesystem: the same device, and the hard link goes through', async () => {
    const data = join(dir, 'data')
    mkdirSync(data)
    const measured = await measureSeparation(localShell('localhost'), results, [{role: 'data_dir', option: 'dataFolder', path: data}])
    assert.equal(measured.paths[0].same_filesystem, true)
    assert.deepEqual(measured.paths[0].link, {result: 'linked'})
    assert.equal(measured.paths[0].device, measured.results_dir.device)
    assert.equal(separationDocument(results, [measured], new Date()).same_filesystem, true)
    assert.deepEqual([...leftovers(data), ...leftovers(dir)], [])
  })

  it('one filesystem stops a CLOSED run (input, exit 2) and warns an OPEN one or an emulation\'s; two pass; the leaf keeps what was measured', async () => {
    const judge = async (dataFolder: string, change: {division?: 'open'; engine?: Partial<EngineDefinition>} = {}) => {
      const run = testContext({resultsDir: results, engine: change.engine as EngineDefinition | undefined})
      Object.assign(run, {division: change.division ?? 'closed', options: {dataFolder}})
      const config = run.config
      const checkContext = {mode: 'run', config, run, signal: run.signal, shell: (host: string) => localShell(host)} as unknown as CheckContext
      const result = await fsSeparationCheck(registry).run(checkContext, 'localhost')
      return {run, result}
    }
    const same = await judge(join(dir, 'data'))
    assert.equal(same.result.status, 'fail')
    assert.equal(same.result.kind, 'input')
    assert.match(same.result.detail, /data_dir .*\/data .*the same filesystem as the results dir/)
    assert.match(same.result.fix ?? '', /--results-dir.*--data-dir/)
    assert.equal((await judge(join(dir, 'data'), {division: 'open'})).result.status, 'warn')
    assert.equal((await judge(join(dir, 'data'), {engine: {name: 'emulation', closedEligible: false}})).result.status, 'warn')
    const apart = await judge(join(fast, 'data'))
    assert.equal(apart.result.status, 'ok')

    const lifecycle = createLifecycle()
    tapFsSeparationRecord(lifecycle)
    const leaf = join(dir, 'leaf')
    mkdirSync(leaf)
    apart.run.leaf = leaf
    await lifecycle.setup.promise(apart.run)
    const written = JSON.parse(readFileSync(join(leaf, 'fs_separation.json'), 'utf8'))
    assert.equal(written.same_filesystem, false)
    assert.equal(written.hosts[0].paths[0].link.result, 'EXDEV')
    assert.ok(apart.run.record.artifacts.includes('fs_separation.json'))
  })

  describe('on a remote host, over its shell (real sshd in its own mount namespace)', () => {
    let lab: SshLab
    let server: ChildProcess | undefined
    const hidden = join(dir, 'remote-data')

    before(async () => {
      mkdirSync(hidden)
      lab = await SshLab.create(1)
      const address = '127.0.0.2'
      const config = join(lab.dir, 'sshd_ns.conf')
      const authorized = join(lab.dir, 'authorized_ns')
      writeFileSync(authorized, `${lab.publicKey(lab.userKey)}\n`)
      writeFileSync(config, [`ListenAddress ${address}:${lab.port}`, `HostKey ${lab.hostKey(address)}`, `PidFile ${join(lab.dir, 'sshd_ns.pid')}`,
        `AuthorizedKeysFile ${authorized}`, 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PermitRootLogin prohibit-password',
        'UsePAM no', 'StrictModes no', 'LogLevel ERROR', ''].join('\n'))
      // on that "host", remote-data is a tmpfs of its own; here it is a folder on the disk
      server = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o size=1m tmpfs "$1" && exec "$2" -D -e -f "$3"', 'sh', hidden, SSHD, config], {stdio: 'ignore'})
      for (let attempt = 0; attempt < 200; attempt++) {
        try {
          execFileSync('ssh-keyscan', ['-T', '1', '-p', String(lab.port), address], {stdio: 'ignore'})
          return
        } catch {
          await delay(25)
        }
      }
      throw new Error('the namespaced sshd did not start')
    })
    after(async () => {
      server?.kill('SIGTERM')
      await lab?.stop()
    })

    it('measures there, not here: the remote host sees its own tmpfs where this one sees the disk', async () => {
      const config = MlpsConfigSchema.parse({ssh: {port: lab.port, user: 'root', identityFile: lab.userKey, knownHostsFile: lab.knownHostsFile, strictHostKeyChecking: 'accept-new', connectTimeoutSeconds: 5}})
      const paths = [{role: 'data_dir', option: 'dataFolder', path: hidden}]
      const remote = await measureSeparation(sshShell('127.0.0.2', config), results, paths)
      const here = await measureSeparation(localShell('localhost'), results, paths)
      assert.equal(remote.host, '127.0.0.2')
      assert.deepEqual([remote.paths[0].same_filesystem, remote.paths[0].fs_type, remote.paths[0].link.result], [false, 'tmpfs', 'EXDEV'])
      assert.deepEqual([here.paths[0].same_filesystem, here.paths[0].link.result], [true, 'linked'])
    })
  })
})
