import assert from 'node:assert/strict'
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {HeadlineOutput} from '../../src/command/headline-output.js'
import {parseTolerantJson} from '../../src/util/tolerant-json.js'
import {parseTimestamp} from '../../src/unstable.js'
import {type CliResult, isolatedEnv, parseJson, runCli, tempDir} from '../helpers/cli.js'
import {requireEngines} from './engines.js'

interface Record_ {
  status: string
  statusReason?: string
  numProcesses?: number
  metrics: Record<string, unknown>
  findings: Array<{ruleId: string; severity: string; message: string}>
  commands: Array<{argv: string[]; startedAt?: string; endedAt?: string}>
  timings: {startedAt: string; endedAt?: string}
  extra: {checkpointing?: {writeEndToReadStartSeconds?: number; gapSeconds?: Record<string, number>; gapParts?: Record<string, number>; cacheClear?: {cleared: boolean; seconds: number}}}
}
interface PairOutput {status: string; exitCode: number; leaves: string[]; pair: {write: {record: Record_}; read?: {record: Record_}}; headline: HeadlineOutput}

// llama3-8b with its layers, widths and vocabulary shrunk (OPEN), so ten real checkpoints are megabytes, not 105 GiB each
const SMALL_MODEL = ['model.num_layers=2', 'model.transformer.vocab_size=1024', 'model.transformer.hidden_size=256', 'model.transformer.ffn_hidden_size=512',
  'checkpoint.time_between_checkpoints=0'].flatMap(p => ['--param', p])
const COUNTS = ['--num-checkpoints-write', '2', '--num-checkpoints-read', '2']

const json = (file: string) => parseTolerantJson(readFileSync(file, 'utf8')) as Record<string, any>
const record = (leaf: string) => json(join(leaf, 'metadata.json')) as Record_

/** Every figure DLIO's summary.json holds is in the record as DLIO wrote it. */
function assertFiguresAreDlios(leaf: string, phase: 'save' | 'load'): void {
  const summary = json(join(leaf, 'summary.json')).metric
  const metrics = record(leaf).metrics
  const keys = Object.keys(summary)
  assert.ok(keys.includes(`${phase}_checkpoint_io_mean_GB_per_second`) && keys.includes(`${phase}_checkpoint_duration_mean_seconds`), keys.join(', '))
  for (const key of keys) assert.deepEqual(metrics[key], summary[key], `${leaf}: ${key}`)
  assert.ok((summary[`${phase}_checkpoint_io_mean_GB_per_second`] as number) > 0)
}

describe('real DLIO v3.0: llama3-8b checkpointing, -n 1 (subset) and -n 8, as a write/read pair (built CLI)', function () {
  this.timeout(900_000)
  let dir: string
  let one: PairOutput
  let eight: PairOutput
  let two: CliResult

  before(async function () {
    const {dlioBin} = requireEngines(this)
    dir = tempDir('mlps-real-ckpt-')
    const config = join(dir, 'mlps.config.json')
    writeFileSync(config, JSON.stringify({engines: {dlio: {bin: dlioBin}}, launcher: {type: 'openmpi'}}))
    const pair = async (processes: string, name: string) => {
      const result = await runCli(['checkpointing', 'run', '-m', 'llama3-8b', '-n', processes, '--checkpoint-folder', join(dir, `ckpt-${name}`), ...SMALL_MODEL, ...COUNTS,
        '--engine', 'dlio', '--open', '--config', config, '--results-dir', join(dir, name), '--json'], {env: isolatedEnv()})
      const output = parseJson<PairOutput>(result)
      assert.equal(output.status, 'COMPLETED', `${output.pair.write.record.statusReason} / ${output.pair.read?.record.statusReason}\n${result.stderr.slice(-3000)}`)
      return output
    }
    one = await pair('1', 'one')
    eight = await pair('8', 'eight')
    two = await runCli(['checkpointing', 'run', '-m', 'llama3-8b', '-n', '2', '--checkpoint-folder', join(dir, 'ckpt-two'), ...SMALL_MODEL, ...COUNTS,
      '--engine', 'dlio', '--open', '--config', config, '--results-dir', join(dir, 'two')], {env: isolatedEnv()})
  })

  it('-n 1 (subset): writes then reads in two invocations, every GB/s and duration recorded as DLIO\'s summary.json has it', () => {
    const [writeLeaf, readLeaf] = one.leaves
    assertFiguresAreDlios(writeLeaf, 'save')
    assertFiguresAreDlios(readLeaf, 'load')
    assert.equal(record(writeLeaf).numProcesses, 1)
    assert.deepEqual(readdirSync(join(dir, 'ckpt-one', 'llama3-8b')).sort(), ['global_epoch1_step1', 'global_epoch1_step2'])
  })

  it('-n 1: one write→read gap, the rules\' (write invocation end → read invocation start), with DLIO\'s start-up and teardown kept apart', () => {
    const [write, read] = one.leaves.map(record)
    const facts = read.extra.checkpointing!
    const gap = (Date.parse(read.timings.startedAt) - Date.parse(write.timings.endedAt!)) / 1000
    assert.equal(facts.writeEndToReadStartSeconds, gap)
    assert.ok(gap >= 0 && gap < 30, String(gap))
    assert.ok(!read.findings.some(f => f.ruleId === 'checkpointing.writeReadGap' || f.ruleId === 'checkpointing.clockSkew'), JSON.stringify(read.findings))
    const parts = facts.gapParts!
    const readSummaryStart = parseTimestamp(json(join(one.leaves[1], 'summary.json')).start)!.getTime()
    assert.equal(parts.engineStartup, (readSummaryStart - Date.parse(read.commands[0].startedAt!)) / 1000)
    assert.ok(parts.engineStartup > 0, 'DLIO takes its start-up after the read invocation began')
    assert.equal(parts.cacheClear, facts.cacheClear!.seconds)
    assert.ok(parts.cacheClear <= gap, 'the clearing is inside the gap')
    assert.ok(parts.engineTeardown >= 0 && parts.readInvocationSetup >= 0 && parts.writeInvocationFinish >= 0, JSON.stringify(parts))
  })

  it('-n 1: the pair\'s headline (--json) holds the write leaf\'s write figures, then the read leaf\'s read figures and the gap', () => {
    const [write, read] = one.leaves.map(record)
    const figures = one.headline.sections.flatMap(section => section.figures)
    const byId = Object.fromEntries(figures.map(f => [f.id, f.value]))
    const ids = figures.map(f => f.id)
    assert.ok(ids.indexOf('write_GiB_per_second') < ids.indexOf('read_GiB_per_second'), ids.join(', '))
    assert.equal(byId.write_GiB_per_second, write.metrics.save_checkpoint_io_mean_GB_per_second)
    assert.equal(byId.write_duration_seconds, write.metrics.save_checkpoint_duration_mean_seconds)
    assert.equal(byId.read_GiB_per_second, read.metrics.load_checkpoint_io_mean_GB_per_second)
    assert.equal(byId.read_duration_seconds, read.metrics.load_checkpoint_duration_mean_seconds)
    assert.equal(byId.write_to_read_gap_seconds, read.extra.checkpointing!.writeEndToReadStartSeconds)
    assert.equal(one.headline.status, 'COMPLETED')
  })

  it('-n 8 (default mode): 8 ranks write and read the whole checkpoint, figures as DLIO\'s', () => {
    const [writeLeaf, readLeaf] = eight.leaves
    assertFiguresAreDlios(writeLeaf, 'save')
    assertFiguresAreDlios(readLeaf, 'load')
    for (const leaf of eight.leaves) {
      assert.equal(record(leaf).numProcesses, 8)
      assert.equal(readdirSync(leaf).filter(name => /^\d+_per_epoch_stats\.json$/.test(name)).length, 8)
    }
    const write = record(writeLeaf)
    assert.ok(!write.commands[0].argv.includes('++workload.checkpoint.mode=subset'))
  })

  it('-n 2: refused before anything runs (DLIO would stop on "Comm size: 2 is larger than 3D parallelism size: 1"), naming the counts that work', () => {
    assert.equal(two.exitCode, 2, two.stderr)
    assert.match(two.stderr, /llama3-8b in subset mode runs on at most 1 process, not 2/)
    assert.match(two.stderr, /--num-processes 1 for a subset, --mode default to write the whole checkpoint with 2 processes, or --num-processes 8/)
  })

  it('verify and reportgen on the pair: reportgen\'s checkpoint GiB/s and durations are DLIO\'s', async () => {
    const [writeLeaf, readLeaf] = one.leaves
    const verify = await runCli(['verify', join(dir, 'one'), '--json'])
    assert.ok([0, 4].includes(verify.exitCode), verify.stderr)
    const groups = parseJson<{groups: Array<{benchmark: string; findings: Array<{ruleId: string; severity: string; message: string}>}>}>(verify).groups
    const findings = groups.flatMap(group => group.findings)
    // 2 + 2 checkpoints are not the rules' 10/0 + 0/10, but the pair is two invocations whose gap the rules accept
    assert.match(findings.find(f => f.ruleId === '4.7.1 checkpointInvocationStructure')?.message ?? '', /2 invocation\(s\) with writes\/reads 2\/0, 0\/2/)
    assert.ok(!findings.some(f => f.ruleId === '4.7.1 checkpointWriteReadGap'), JSON.stringify(findings.map(f => f.ruleId)))

    const report = join(dir, 'report')
    const reportgen = await runCli(['reports', 'reportgen', '--results-dir', join(dir, 'one'), '--output-dir', report, '--json'])
    assert.ok([0, 4].includes(reportgen.exitCode), reportgen.stderr)
    const row = (JSON.parse(readFileSync(join(report, 'results.json'), 'utf8')) as {rows: Array<{path: string; metrics: Record<string, number>}>}).rows
      .find(r => r.path.endsWith('checkpointing/llama3-8b'))!
    const [saved, loaded] = [json(join(writeLeaf, 'summary.json')).metric, json(join(readLeaf, 'summary.json')).metric]
    assert.equal(row.metrics.checkpoint_write_GiB_per_second, saved.save_checkpoint_io_mean_GB_per_second)
    assert.equal(row.metrics.checkpoint_write_duration_seconds, saved.save_checkpoint_duration_mean_seconds)
    assert.equal(row.metrics.checkpoint_read_GiB_per_second, loaded.load_checkpoint_io_mean_GB_per_second)
    assert.equal(row.metrics.checkpoint_read_duration_seconds, loaded.load_checkpoint_duration_mean_seconds)
  })
})
