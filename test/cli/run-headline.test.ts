import assert from 'node:assert/strict'
import {readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {RunRecordSchema, type RunRecord} from '../../src/results/run-record.js'
import type {HeadlineOutput} from '../../src/command/headline-output.js'
import {parseJson, runCli, tempDir as makeTempDir} from '../helpers/cli.js'

/** the suite's datasets and results: removed when it ends, /tmp is shared */
const made: string[] = []
function tempDir(prefix?: string): string {
  const dir = makeTempDir(prefix)
  made.push(dir)
  return dir
}


interface JsonOutput {status: string; category: string; leaf: string; headline: HeadlineOutput}

function readRecord(leaf: string): RunRecord {
  return RunRecordSchema.parse(JSON.parse(readFileSync(join(leaf, 'metadata.json'), 'utf8')))
}

/** The record's value at a figure's `source`: a dotted path, optionally divided by another field ("metrics.x / numProcesses"). */
function valueAt(record: RunRecord, source: string): unknown {
  const [path, divisor] = source.split(' / ')
  const value = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], record)
  return divisor === undefined ? value : (value as number) / (record[divisor as keyof RunRecord] as number)
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A printed number equals the record's within half a unit of its last printed digit. */
function assertPrinted(printed: string, actual: number, what: string): void {
  const decimals = printed.includes('.') ? printed.split('.')[1].length : 0
  const tolerance = 0.5 * 10 ** -decimals * (1 + 1e-9)
  assert.ok(Math.abs(Number(printed) - actual) <= tolerance, `${what}: printed ${printed}, the record has ${actual}`)
}

/**
 * Every figure of the --json headline is the record's value at its source;
 * every figure is printed in the human output of another run and equals that
 * run's record; the category comes with one line per deciding rule only.
 */
function checkHeadlines(json: JsonOutput, human: {stdout: string}): void {
  const record = readRecord(json.leaf)
  assert.equal(json.headline.status, record.status)
  assert.equal(json.headline.category, record.category)
  const figures = json.headline.sections.flatMap(section => section.figures)
  assert.ok(figures.length > 0, 'the headline has figures')
  for (const figure of figures) {
    assert.notEqual(figure.value, null, `${figure.id} was measured`)
    assert.deepEqual(figure.value, valueAt(record, figure.source), `${figure.id} = record ${figure.source}`)
  }
  for (const rule of json.headline.deciding) assert.ok(record.findings.some(f => f.ruleId === rule.ruleId) || rule.ruleId === 'mlps.division', rule.ruleId)

  const leaf = /^ {2}run leaf: (.+)$/m.exec(human.stdout)?.[1]
  assert.ok(leaf, `the human output names its leaf:\n${human.stdout}`)
  const humanRecord = readRecord(leaf)
  const lines = human.stdout.split('\n')
  for (const section of json.headline.sections) {
    const from = section.title ? lines.findIndex(line => line.trim() === `${section.title}:`) : 0
    assert.ok(from >= 0, `section "${section.title}" is printed`)
    for (const figure of section.figures) {
      const line = lines.slice(from).find(l => new RegExp(`^\\s+${escape(figure.label)}:\\s`).test(l))
      assert.ok(line, `"${figure.label}" is printed:\n${human.stdout}`)
      const text = line.slice(line.indexOf(':') + 1).split('  (')[0].trim()
      const values = (figure.unit ? text.slice(0, text.length - figure.unit.length) : text).trim().split(', ')
      const expected = valueAt(humanRecord, figure.source)
      const list = Array.isArray(expected) ? expected as number[] : [expected as number]
      assert.equal(values.length, list.length, `${figure.label}: ${text}`)
      values.forEach((value, index) => assertPrinted(value, list[index], `${figure.label}[${index}]`))
    }
  }
  const category = lines.findIndex(line => line.startsWith(`  category: ${humanRecord.category}`))
  assert.ok(category >= 0, `the category is printed:\n${human.stdout}`)
  const deciding = lines.slice(category + 1).filter(line => /^ {4}\[/.test(line))
  const decidingRules = new Set(humanRecord.findings.filter(f => humanRecord.category === 'INVALID' ? f.severity === 'error' : f.openOnly).map(f => f.ruleId))
  assert.equal(deciding.length, Math.max(decidingRules.size, humanRecord.category === 'OPEN' ? 1 : 0), `one line per deciding rule:\n${deciding.join('\n')}`)
  assert.ok(!/^ {2}(warn|error) \[/m.test(human.stdout), 'the findings are not listed one by one')
}

describe('the headline of a run: human output and --json equal the run record (built CLI, native engine)', function () {
  this.timeout(240_000)
  after(() => { for (const dir of made.splice(0)) rmSync(dir, {recursive: true, force: true}) })

  it('training: AU per epoch and mean against its threshold, samples/s and MiB/s in total and per accelerator', async () => {
    const dir = tempDir()
    const common = ['--model', 'unet3d', '--data-dir', join(dir, 'data'), '--results-dir', join(dir, 'results'),
      '--param', 'dataset.num_files_train=24', '--param', 'dataset.record_length_bytes=262144', '--param', 'dataset.record_length_bytes_stdev=65536']
    assert.equal((await runCli(['training', 'datagen', ...common, '-n', '2'])).exitCode, 0)
    const run = [...common, '-g', 'h100', '-n', '2', '--param', 'train.epochs=2', '--param', 'train.computation_time=0.01']
    const json = parseJson<JsonOutput>(await runCli(['training', 'run', ...run, '--json']))
    const human = await runCli(['training', 'run', ...run])
    assert.equal(human.exitCode, 0, human.stderr)
    checkHeadlines(json, human)
    const ids = json.headline.sections[0].figures.map(figure => figure.id)
    assert.deepEqual(ids, ['au_mean', 'au_per_epoch', 'samples_per_second', 'samples_per_second_per_accelerator', 'samples_per_second_per_epoch', 'mib_per_second', 'mib_per_second_per_accelerator'])
    assert.match(json.headline.sections[0].figures[0].note ?? '', /^threshold 90 %: (met|not met)$/)
    assert.equal((json.headline.sections[0].figures[1].value as number[]).length, 2)
    assert.equal(json.headline.category, 'INVALID')
    assert.ok(json.headline.deciding.some(rule => rule.ruleId.includes('trainingRecalculateDatasetSize')))
  })

  it('checkpointing: write and read GiB/s, their durations and the write→read gap', async () => {
    const dir = tempDir()
    const args = ['checkpointing', 'run', '--model', 'llama3-8b', '--num-processes', '8', '--checkpoint-folder', join(dir, 'ckpt'),
      '--scale', '0.0005', '--param', 'checkpoint.time_between_checkpoints=0.01', '--open', '--results-dir', join(dir, 'results')]
    const json = parseJson<JsonOutput>(await runCli([...args, '--json']))
    const human = await runCli(args)
    assert.equal(human.exitCode, 0, human.stderr)
    checkHeadlines(json, human)
    const ids = json.headline.sections[0].figures.map(figure => figure.id)
    for (const id of ['write_GiB_per_second', 'write_duration_seconds', 'read_GiB_per_second', 'read_duration_seconds', 'write_to_read_gap_seconds']) assert.ok(ids.includes(id), id)
    assert.equal(json.headline.category, 'OPEN')
    assert.ok(json.headline.deciding.some(rule => rule.ruleId === 'checkpointing.scaledDown'))
  })

  it('KV cache: per option tokens/s, storage read/write GiB/s and latency P50/P95/P99', async () => {
    const args = (results: string) => ['kvcache', 'run', '--open', '--engine', 'native', '--option', '2', '--trials', '1', '--duration', '2',
      '--model', 'tiny-1b', '--num-users', '3', '--max-context-tokens', '128', '--cpu-mem-gb', '0.005', '--npernode', '2',
      '--cache-dir', join(tempDir('kvcache-'), 'cache'), '--results-dir', results]
    const json = parseJson<JsonOutput>(await runCli([...args(tempDir()), '--json']))
    const human = await runCli(args(tempDir()))
    assert.equal(human.exitCode, 0, human.stderr)
    checkHeadlines(json, human)
    assert.deepEqual(json.headline.sections.map(section => section.title), ['option 2 (Storage Throughput)'])
    assert.deepEqual(json.headline.sections[0].figures.map(figure => figure.id),
      ['tokens_per_second', 'storage_tokens_per_second', 'read_GiB_per_second', 'write_GiB_per_second', 'latency_p50_ms', 'latency_p95_ms', 'latency_p99_ms'].map(id => `option2_${id}`))
  })

  it('vector DB: QPS, latency P50/P95/P99/P99.9 and recall@k, with a warning when recall is low for the index', async () => {
    const dir = tempDir()
    const common = ['--data-dir', join(dir, 'data'), '--num-vectors', '4000', '--dimension', '32', '--seed', '11', '--results-dir', join(dir, 'results')]
    assert.equal((await runCli(['vectordb', 'datagen', ...common])).exitCode, 0)
    const run = [...common, '--runtime', '2', '--num-query-processes', '2', '--num-query-vectors', '40']
    const json = parseJson<JsonOutput>(await runCli(['vectordb', 'run', ...run, '--json']))
    const human = await runCli(['vectordb', 'run', ...run])
    assert.equal(human.exitCode, 0, human.stderr)
    checkHeadlines(json, human)
    assert.deepEqual(json.headline.sections[0].figures.map(figure => figure.id), ['qps', 'latency_p50_ms', 'latency_p95_ms', 'latency_p99_ms', 'latency_p999_ms', 'recall_at_k'])
    const recall = json.headline.sections[0].figures.at(-1)!.value as number
    // IVF_FLAT usually reaches 0.9 at these settings; below it the headline says so, above it it does not
    assert.equal((json.headline.warnings ?? []).some(w => /recall@10 .* is low for IVF_FLAT/.test(w)), recall < 0.9)
    assert.equal(/warning: recall@10 .* is low for IVF_FLAT/.test(human.stdout), readRecord(/^ {2}run leaf: (.+)$/m.exec(human.stdout)![1]).metrics.recall_at_k as number < 0.9)
  })
})
