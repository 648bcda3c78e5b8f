import assert from 'node:assert/strict'
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {cpus, hostname, release} from 'node:os'
import {join} from 'node:path'
import {GatherFrameParser} from '../../src/cluster/gather-frames.js'
import {gatherLocal} from '../../src/cluster/gather-local.js'
import {samplerScript, snapshotScript} from '../../src/cluster/gather-script.js'
import {hostFactsFromRaw} from '../../src/cluster/host-facts-from-raw.js'
import type {RawHostReport} from '../../src/cluster/raw-report.js'
import {tempDir} from '../helpers/cli.js'

const clock = {offsetMs: 0, uncertaintyMs: 0}

function runShellGatherer(program: string): {frames: RawHostReport[]; output: string} {
  const output = execFileSync('sh', ['-c', program], {encoding: 'utf8'})
  const parser = new GatherFrameParser()
  return {frames: parser.push(output), output}
}

describe('host facts gatherers (this host\'s real /proc)', () => {
  it('the sh gatherer and the in-process gatherer give the same stable facts and fingerprint, matching /proc', () => {
    const {frames} = runShellGatherer(snapshotScript())
    assert.equal(frames.length, 1)
    const viaShell = hostFactsFromRaw(frames[0], {host: 'a', collector: 'test', clock})
    const inProcess = hostFactsFromRaw(gatherLocal('snapshot'), {host: 'a', collector: 'test', clock})
    assert.deepEqual(viaShell.stable, inProcess.stable)
    assert.equal(viaShell.fingerprint, inProcess.fingerprint)
    assert.deepEqual(viaShell.errors, {})
    assert.deepEqual(inProcess.errors, {})
    const memTotalKb = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1])
    for (const facts of [viaShell, inProcess]) {
      assert.equal(facts.hostname, hostname())
      assert.equal(facts.stable.memory.totalBytes, memTotalKb * 1024)
      assert.equal(facts.stable.cpu.threads, cpus().length)
      assert.equal(facts.stable.kernel.release, release())
      assert.ok(facts.stable.mounts.some(m => m.mountPoint === '/' && m.sizeBytes !== null && m.sizeBytes > 0))
      assert.ok(facts.volatile.cpuTimes && facts.volatile.cpuTimes.idle > 0)
      assert.ok(facts.volatile.memory.MemAvailable > 0)
    }
    assert.ok(Math.abs(Date.parse(viaShell.collectedAt) - Date.now()) < 60_000)
  })

  it('a stream cut at any byte parses into the same frames', () => {
    const {frames, output} = runShellGatherer(snapshotScript())
    const parser = new GatherFrameParser()
    const pieces: RawHostReport[] = []
    for (let i = 0; i < output.length; i += 7) pieces.push(...parser.push(output.slice(i, i + 7)))
    assert.deepEqual(pieces, frames)
  })

  it('the probe path reaches the host as data: quotes and $(...) in it are never run', () => {
    const dir = join(tempDir(), `it's $(touch pwned) "odd"`)
    mkdirSync(dir, {recursive: true})
    const probe = join(dir, 'probe file')
    writeFileSync(probe, 'token-123\n')
    const cwd = tempDir()
    const output = execFileSync('sh', ['-c', snapshotScript(probe)], {encoding: 'utf8', cwd})
    const [frame] = new GatherFrameParser().push(output)
    assert.equal(frame.probe, 'token-123')
    assert.equal(existsSync(join(cwd, 'pwned')), false)
    const [missing] = new GatherFrameParser().push(execFileSync('sh', ['-c', snapshotScript(join(dir, 'absent'))], {encoding: 'utf8'}))
    assert.equal(missing.probe, null)
  })

  it('the sampler program prints a frame at once and then one per interval, with its own CPU use', () => {
    // timeout(1) sends TERM after 1.3 s, which the program obeys at once (timeout itself then exits 124)
    const {stdout: output, status} = spawnSync('timeout', ['1.3', 'sh', '-c', samplerScript(0.5)], {encoding: 'utf8'})
    assert.equal(status, 124)
    const frames = new GatherFrameParser().push(output)
    assert.ok(frames.length >= 2 && frames.length <= 4, `${frames.length} frames`)
    for (const frame of frames) {
      assert.equal(frame.mode, 'sample')
      assert.ok(frame.cpuSeconds !== undefined)
      assert.ok(frame.files['/proc/diskstats'] !== undefined && frame.files['/proc/cpuinfo'] === undefined)
    }
  })

  it('a frame with an unknown format is refused, not half-read', () => {
    assert.throws(() => new GatherFrameParser().push('@@begin mlps-gather/9 snapshot\n'), /unknown gatherer frame/)
  })
})
