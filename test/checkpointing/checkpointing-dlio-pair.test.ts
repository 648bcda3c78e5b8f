import assert from 'node:assert/strict'
import {chmodSync, cpSync, existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {setTimeout as delay} from 'node:timers/promises'
import {execa} from 'execa'
import {parse} from 'yaml'
import {processesOfRun} from '../../src/launch/process-scan.js'
import {RunRecordSchema, type RunRecord} from '../../src/results/run-record.js'
import {isolatedEnv, mlpsBin, parseJson, repoRoot, runCli, startCli, tempDir} from '../helpers/cli.js'

const STANDIN = join(repoRoot, 'fixtures', 'dlio', 'standin', 'dlio_benchmark')
const SAMSUNG_CONFIG = join(repoRoot, 'fixtures', 'dlio', 'v3.0', 'samsung-llama3-8b-checkpointing', 'dlio_config', 'config.yaml')

interface Finding {ruleId: string; severity: string; message: string; notEvaluable?: boolean; openOnly?: boolean}
interface Invocation {status: string; category: string; exitCode: number; leaf?: string; record: RunRecord}
interface PairOutput {
  status: string
  category: string
  exitCode: number
  leaf?: string
  leaves: string[]
  record: RunRecord
  pair: {kind: string; pairId: string; write: Invocation; read?: Invocation; readSkipped?: string; cacheClear?: {cleared: boolean; perHost: Array<{name: string; via?: string}>}}
}
interface Verification {category: string; groups: Array<{path: string; category: string; findings: Finding[]}>}
interface PairFacts {
  procedure: {kind: string; pairId: string; phase: string; write?: {runId: string; leaf: string}}
  cacheClear?: {required: boolean; cleared: boolean; reason?: string; perHost: Array<{via?: string}>}
  cacheClearProbe?: Array<{via?: string}>
  writeEndToReadStartSeconds?: number
  gapSeconds?: {invocations?: number; engines?: number; summaries?: number}
}

/**
 * The stand-in writes no checkpoint bytes, so the ~1 TiB ten real llama3-8b checkpoints need is not
 * wanted here: the free-space check is skipped by configuration, which the record then says.
 */
function standinConfig(dir: string, dlio: Record<string, unknown> = {}): string {
  const file = join(dir, 'mlps.config.json')
  writeFileSync(file, JSON.stringify({engines: {dlio: {bin: STANDIN, ...dlio}}, launcher: {type: 'openmpi'}, preflight: {skip: ['mlps.freeSpace', 'mlps.fsSeparation']}}))
  return file
}

/** llama3-8b on 8 ranks with 512 GiB per client: 104.7 GiB < 3 × 512 GiB, so the caches must be cleared between the phases. */
function pairArgs(dir: string, division: '--closed' | '--open', config = standinConfig(dir)): string[] {
  return ['checkpointing', 'run', '-m', 'llama3-8b', '-n', '8', '--client-host-memory-in-gb', '512', '--checkpoint-folder', join(dir, 'ckpt'),
    '--engine', 'dlio', division, '--results-dir', join(dir, 'results'), '--config', config, '--json']
}

const facts = (record: RunRecord) => record.extra.checkpointing as PairFacts
const record = (leaf: string) => RunRecordSchema.parse(JSON.parse(readFileSync(join(leaf, 'metadata.json'), 'utf8')))

async function verify(path: string, ...extra: string[]): Promise<Verification> {
  const result = await runCli(['verify', path, '--json', ...extra])
  assert.ok([0, 4].includes(result.exitCode), result.stderr)
  return parseJson<Verification>(result)
}

describe('mlps checkpointing run --engine dlio: the write/read pair in one command (built CLI, stand-in dlio_benchmark: DLIO cannot be installed here)', function () {
  this.timeout(120_000)
  let dir: string
  let output: PairOutput

  before(async () => {
    dir = tempDir('mlps-pair-')
    const result = await runCli(pairArgs(dir, '--closed'))
    output = parseJson<PairOutput>(result)
    assert.equal(result.exitCode, 0, `${result.stderr}\n${JSON.stringify(output.pair.write.record.findings)}`)
    const skipped = output.pair.write.record.findings.find(f => f.ruleId === 'mlps.freeSpace')
    assert.equal(skipped?.severity, 'warn', 'a skipped check is said, not silent')
    assert.match(skipped?.message ?? '', /not checked: .* preflight\.skip/)
  })

  it('stand-in: writes 10 (read 0), clears every client\'s page cache, reads 10 (write 0): two sibling leaves, both COMPLETED', () => {
    assert.equal(output.status, 'COMPLETED')
    assert.equal(output.pair.kind, 'write/read pair')
    const [writeLeaf, readLeaf] = output.leaves
    assert.deepEqual([output.pair.write.leaf, output.pair.read?.leaf, output.leaf], [writeLeaf, readLeaf, readLeaf])
    assert.equal(dirname(writeLeaf), dirname(readLeaf))
    assert.match(dirname(writeLeaf), /\/closed\/[^/]+\/results\/[^/]+\/checkpointing\/llama3-8b$/)
    assert.deepEqual(readdirSync(dirname(writeLeaf)).sort(), [basename(writeLeaf), basename(readLeaf)].sort())

    const write = record(writeLeaf)
    const read = record(readLeaf)
    assert.deepEqual([write.status, read.status], ['COMPLETED', 'COMPLETED'])
    assert.deepEqual(write.parameters.toolInjected, {'checkpoint.num_checkpoints_read': 0, 'checkpoint.num_checkpoints_write': 10, 'checkpoint.checkpoint_folder': join(dir, 'ckpt', 'llama3-8b')})
    assert.deepEqual(read.parameters.toolInjected, {'checkpoint.num_checkpoints_read': 10, 'checkpoint.num_checkpoints_write': 0, 'checkpoint.checkpoint_folder': join(dir, 'ckpt', 'llama3-8b')})
    // each invocation's DLIO did only its phase (the stand-in's read fails when the write's files are not there)
    assert.ok('save_checkpoint_io_mean_GB_per_second' in write.metrics && !('load_checkpoint_io_mean_GB_per_second' in write.metrics))
    assert.ok('load_checkpoint_io_mean_GB_per_second' in read.metrics && !('save_checkpoint_io_mean_GB_per_second' in read.metrics))
    assert.equal(readdirSync(join(dir, 'ckpt', 'llama3-8b')).length, 10)

    const [writeFacts, readFacts] = [facts(write), facts(read)]
    assert.equal(writeFacts.procedure.pairId, output.pair.pairId)
    assert.deepEqual(readFacts.procedure, {kind: 'write/read pair', pairId: output.pair.pairId, phase: 'read', write: {runId: write.runId, leaf: writeLeaf}})
    assert.deepEqual(writeFacts.cacheClearProbe?.map(host => host.via), ['root'], 'asked before the writes started')
    assert.equal(readFacts.cacheClear?.cleared, true)
    assert.deepEqual(readFacts.cacheClear?.perHost.map(host => host.via), ['root'])
  })

  it('stand-in: records the write-end → read-start gap the way the rules measure it (R 4.7.1), and the engines\' and DLIO\'s own', () => {
    const [write, read] = output.leaves.map(record)
    const gaps = facts(read).gapSeconds!
    assert.equal(gaps.invocations, (Date.parse(read.timings.startedAt) - Date.parse(write.timings.endedAt!)) / 1000)
    assert.equal(facts(read).writeEndToReadStartSeconds, gaps.invocations)
    assert.equal(gaps.engines, (Date.parse(read.commands[0].startedAt!) - Date.parse(write.commands[0].endedAt!)) / 1000)
    for (const gap of [gaps.invocations, gaps.engines, gaps.summaries]) assert.ok(gap !== undefined && gap >= 0 && gap < 30, JSON.stringify(gaps))
    assert.ok(!read.findings.some(f => f.ruleId === 'checkpointing.writeReadGap' || f.ruleId === 'checkpointing.clockSkew'))
  })

  it('stand-in: ships DLIO the official llama3_8b workload, with no dataset section', () => {
    // the real v3.0 run's resolved config, less the checkpoint folder its command line overrode
    const official = parse(readFileSync(SAMSUNG_CONFIG, 'utf8')).workload
    official.checkpoint.checkpoint_folder = 'checkpoints/llama_8b'
    for (const leaf of output.leaves) {
      const shipped = parse(readFileSync(join(leaf, 'dlio_workload_config', 'workload', 'llama3_8b.yaml'), 'utf8'))
      assert.equal('dataset' in shipped, false)
      assert.deepEqual(shipped, official)
    }
  })

  it('stand-in: `mlps verify` judges the pair CLOSED with the rules-v3 edition: invocation structure, gap and cache clearing pass', async () => {
    const modelFolder = dirname(output.leaves[0])
    const report = await verify(modelFolder)
    assert.equal(report.category, 'CLOSED')
    assert.equal(report.groups.length, 1)
    const {findings} = report.groups[0]
    assert.deepEqual(findings.filter(f => f.severity === 'error' || (!f.notEvaluable && f.severity === 'warn')), [])
    const judged = new Set(findings.map(f => f.ruleId))
    for (const rule of ['4.7.1 checkpointInvocationStructure', '4.7.1 checkpointWriteReadGap', '4.3.1 checkpointDataSizeRatio', '4.3.2 checkpointFsync', '4.6.1 checkpointClosedMpiProcesses']) {
      assert.equal(judged.has(rule), false, `${rule} passed`)
    }
  })

  it('stand-in: `mlps verify` finds what a broken pair would break: the write leaf alone, a late read, no clearing', async () => {
    const lone = await verify(output.leaves[0])
    assert.equal(lone.category, 'INVALID')
    assert.ok(lone.groups[0].findings.some(f => f.ruleId === '4.7.1 checkpointInvocationStructure' && f.severity === 'error'))

    const copy = join(tempDir('mlps-pair-copy-'), 'llama3-8b')
    cpSync(dirname(output.leaves[0]), copy, {recursive: true})
    const readRecord = join(copy, basename(output.leaves[1]), 'metadata.json')
    const late = JSON.parse(readFileSync(readRecord, 'utf8'))
    late.timings.startedAt = new Date(Date.parse(record(output.leaves[0]).timings.endedAt!) + 45_000).toISOString()
    late.extra.checkpointing.cacheClear.cleared = false
    writeFileSync(readRecord, JSON.stringify(late))
    const asPublished = await verify(copy)
    assert.deepEqual(asPublished.groups[0].findings.filter(f => !f.notEvaluable).map(f => [f.ruleId, f.severity]).sort(), [
      ['4.3.1 checkpointDataSizeRatio', 'warn'], ['4.7.1 checkpointWriteReadGap', 'warn'],
    ])
    const corrected = await verify(copy, '--edition', '3.0-corrected')
    assert.equal(corrected.category, 'INVALID')
    assert.ok(corrected.groups[0].findings.some(f => f.ruleId === '4.7.1 checkpointWriteReadGap' && f.severity === 'error'))
  })

  it('stand-in: a user who cannot clear the cache (nobody: not root, no sudo) is stopped before the writes in CLOSED, warned in OPEN', async function () {
    if (process.getuid?.() !== 0) this.skip()
    const home = tempDir('mlps-pair-nobody-')
    chmodSync(home, 0o777)
    const asNobody = (division: '--closed' | '--open') => execa(process.execPath, [mlpsBin, ...pairArgs(join(home, division.slice(2)), division, standinConfig(home))],
      {env: isolatedEnv(home), cwd: repoRoot, uid: 65534, gid: 65534, reject: false, extendEnv: false, stdin: 'ignore'})

    const closed = await asNobody('--closed')
    assert.equal(closed.exitCode, 3, String(closed.stderr))
    const stopped = JSON.parse(String(closed.stdout)) as PairOutput
    const finding = stopped.record.findings.find(f => f.ruleId === 'checkpointing.cacheClear')
    assert.equal(finding?.severity, 'error')
    assert.match(finding?.message ?? '', /localhost \(uid 65534\).*not root and has no passwordless sudo/)
    assert.equal(stopped.pair.readSkipped, 'the write invocation is FAILED')
    assert.deepEqual(stopped.record.commands, [], 'DLIO never started')
    assert.equal(existsSync(join(home, 'closed', 'ckpt')), false, 'nothing was written')

    const open = await asNobody('--open')
    assert.equal(open.exitCode, 0, String(open.stderr))
    const ran = JSON.parse(String(open.stdout)) as PairOutput
    assert.equal(ran.status, 'COMPLETED')
    assert.equal(ran.pair.write.record.findings.find(f => f.ruleId === 'checkpointing.cacheClear')?.severity, 'warn')
    assert.equal(facts(ran.record).cacheClear?.cleared, false)
    assert.match(facts(ran.record).cacheClear?.reason ?? '', /localhost: neither root nor allowed to run sudo -n \(uid 65534\)/)
    const report = await verify(dirname(ran.leaves[0]))
    assert.ok(report.groups[0].findings.some(f => f.ruleId === '4.3.1 checkpointDataSizeRatio' && !f.notEvaluable && /not cleared/.test(f.message)))
  })

  it('stand-in: Ctrl-C during the write stops it (INTERRUPTED, exit 130) and the read never starts', async () => {
    const stopDir = tempDir('mlps-pair-sigint-')
    const child = startCli(pairArgs(stopDir, '--open', standinConfig(stopDir, {env: {DLIO_STANDIN_MODE: 'hang'}})))
    const runDir = join(stopDir, 'results', 'open')
    let runId: string | undefined
    const started = Date.now()
    while (Date.now() - started < 60_000) {
      const leaf = existsSync(runDir) ? findLeaf(runDir) : undefined
      if (leaf && existsSync(join(leaf, 'metadata.json'))) runId = record(leaf).runId
      if (runId && processesOfRun(runId).length >= 9) break
      await delay(100)
    }
    assert.ok(runId, 'the write invocation started')
    child.kill('SIGINT')
    const result = await child
    assert.equal(result.exitCode, 130, String(result.stderr))
    const stopped = JSON.parse(String(result.stdout)) as PairOutput
    assert.equal(stopped.status, 'INTERRUPTED')
    assert.equal(stopped.pair.read, undefined)
    assert.equal(stopped.pair.readSkipped, 'interrupted')
    assert.equal(stopped.leaves.length, 1)
    assert.deepEqual(processesOfRun(runId!), [])
  })
})

function findLeaf(dir: string): string | undefined {
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    if (!entry.isDirectory()) continue
    const path = join(dir, entry.name)
    if (/^\d{8}_\d{6}$/.test(entry.name)) return path
    const found = findLeaf(path)
    if (found) return found
  }
  return undefined
}
