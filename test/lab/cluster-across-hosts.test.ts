import assert from 'node:assert/strict'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {isolatedEnv, parseJson, runCli, tempDir} from '../helpers/cli.js'
import {LAB_ALIASES, LAB_HOSTS} from './launch-lab.js'
import {useLaunchLab} from './use-lab.js'

interface InfoJson {summary: {numHosts: number}; snapshot: {hosts: Array<{host: string; collector: string}>; missing: Array<{host: string; reason: string}>}}
interface DoctorRow {check: string; host: string; status: string; fix?: string}

describe('cluster facts and doctor across the three lab hosts (built CLI; real sshd, mpirun, mpiexec.mpich)', function () {
  this.timeout(120_000)
  const lab = useLaunchLab()

  function configFile(settings: Record<string, unknown>): string {
    const file = join(tempDir('mlps-lab-config-'), 'mlps.config.json')
    writeFileSync(file, JSON.stringify(settings))
    return file
  }

  /** A user's home whose ~/.ssh/config names the lab's hosts, and one reached only through another (ProxyJump). */
  function homeWithSshConfig(): string {
    const home = tempDir('mlps-lab-home-')
    mkdirSync(join(home, '.ssh'), {mode: 0o700})
    writeFileSync(join(home, '.ssh', 'config'), `Host behind-node01\n  HostName ${LAB_HOSTS[2]}\n  ProxyJump ${LAB_ALIASES[0]}\n\n${readFileSync(lab().sshConfig, 'utf8')}`)
    return home
  }

  it('cluster info --collector ssh --hosts node01,node02,node03: names, port, user and key from ~/.ssh/config; three hosts said to be one machine; loopback clocks in step', async () => {
    // nothing about how to reach the hosts in mlps's own config: ~/.ssh/config says it all
    const config = configFile({ssh: {knownHostsFile: lab().ssh.knownHostsFile}})
    const result = await runCli(['cluster', 'info', '--collector', 'ssh', '--hosts', LAB_ALIASES.join(','), '--config', config], {env: isolatedEnv(homeWithSshConfig())})
    assert.equal(result.exitCode, 0, result.stderr + result.stdout)
    const output = result.stderr + result.stdout
    assert.match(output, /^3 of 3 hosts answered via ssh in \d+ ms, 1 distinct machine among them: /m)
    for (const alias of LAB_ALIASES) assert.match(output, new RegExp(`^  ${alias} \\(.*clock in step to within ± [\\d.]+ ms \\(measured [-+][\\d.]+ ms, inside its uncertainty\\)`, 'm'))
  })

  it('cluster info --collector ssh reaches a host through its ProxyJump', async () => {
    const config = configFile({ssh: {knownHostsFile: lab().ssh.knownHostsFile}})
    const result = await runCli(['cluster', 'info', '--collector', 'ssh', '--hosts', 'behind-node01', '--config', config, '--json'], {env: isolatedEnv(homeWithSshConfig())})
    assert.equal(result.exitCode, 0, result.stderr)
    const info = parseJson<InfoJson>(result)
    assert.deepEqual(info.snapshot.missing, [])
    assert.deepEqual(info.snapshot.hosts.map(h => h.host), ['behind-node01'])
  })

  for (const type of ['openmpi', 'mpich'] as const) {
    it(`cluster info --collector mpi through ${type} across the three hosts: one gatherer rank on each`, async () => {
      const config = configFile({launcher: {type}})
      const result = await runCli(['cluster', 'info', '--collector', 'mpi', '--hosts', LAB_HOSTS.join(','), '--config', config, '--json'], {env: {...isolatedEnv(), ...lab().env()}})
      assert.equal(result.exitCode, 0, result.stderr)
      const info = parseJson<InfoJson>(result)
      assert.deepEqual(info.snapshot.missing, [])
      assert.deepEqual(info.snapshot.hosts.map(h => [h.host, h.collector]), LAB_HOSTS.map(host => [host, 'mpi']))
    })
  }

  it('doctor with one host down: that host fails with the fix, the others pass, and no listener warning on stderr', async () => {
    // 127.0.0.5 runs no sshd: refused, as a host that is down
    const down = '127.0.0.5'
    const config = configFile({ssh: lab().sshSettings(), launcher: {type: 'openmpi'}})
    const result = await runCli(['doctor', '--hosts', [...LAB_HOSTS, down].join(','), '--collector', 'ssh', '--config', config, '--json'], {env: {...isolatedEnv(), ...lab().env()}})
    assert.equal(result.exitCode, 3, result.stderr)
    const rows = parseJson<{checks: DoctorRow[]}>(result).checks
    const reach = rows.filter(row => row.check === 'ssh.reachable')
    assert.deepEqual(reach.map(row => [row.host, row.status]), [...LAB_HOSTS.map(host => [host, 'ok']), [down, 'fail']])
    assert.match(reach.at(-1)!.fix ?? '', /sshd/)
    assert.doesNotMatch(result.stderr, /MaxListenersExceededWarning/)
  })
})
