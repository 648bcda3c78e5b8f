import assert from 'node:assert/strict'
import {cpSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {editionV3Corrected} from '../../plugins/rules-v3/src/editions.js'
import {verifyTree} from '../../src/verify/evaluate.js'
import type {Finding} from '../../src/verify/finding.js'
import {loadResultsTree} from '../../src/verify/tree-loader.js'
import {tempDir} from '../helpers/cli.js'
import {firstPartyCatalogue} from '../helpers/results-catalogue.js'

// Mutation tests of the throughput bounds on real results: the published v3.0 SAMSUNG llama3-8b
// checkpointing leaf (fixtures/checkpointing-v3.0, see its SOURCE.md) and the KV-cache run the native
// engine wrote (fixtures/kvcache-native-run). Each intact tree passes its bound; each edit that makes
// a figure impossible for the counts and durations beside it is an error naming the file and figure.

const FIXTURES = join(import.meta.dirname, '../../fixtures')
const CHECKPOINT_LEAF = 'closed/SAMSUNG/results/MEMORY_AE/checkpointing/llama3-8b/20260721_000424'
const KV_LEAF = 'open/local/results/vm/kv_cache/llama3.1-8b/run/20261123_010934'
const KV_RANK = `${KV_LEAF}/option_1/trial_0/rank_1/kvcache_results_20261123_010934.json`
const CHECKPOINT_RULE = '4.7 checkpointThroughputPossible'
const KV_RULE = '6.3.4 kvcacheThroughputPossible'

type Json = Record<string, any>

/** A private copy of a fixture tree with `edits` applied (a JSON edit, or undefined to delete the file). */
function mutant(fixture: string, edits: Record<string, ((document: Json) => void) | undefined>): string {
  const root = tempDir('mlps-bounds-')
  cpSync(join(FIXTURES, fixture), root, {recursive: true})
  for (const [file, edit] of Object.entries(edits)) {
    const path = join(root, file)
    if (!edit) {
      rmSync(path)
      continue
    }
    const document = JSON.parse(readFileSync(path, 'utf8')) as Json
    edit(document)
    writeFileSync(path, JSON.stringify(document))
  }
  return root
}

async function findingsOf(root: string, ruleId: string): Promise<Finding[]> {
  const report = verifyTree(await loadResultsTree(root, await firstPartyCatalogue()), editionV3Corrected)
  return report.findings.filter(finding => finding.ruleId === ruleId)
}

async function assertFlags(root: string, ruleId: string, file: string, message: RegExp): Promise<void> {
  const findings = await findingsOf(root, ruleId)
  const named = findings.filter(finding => finding.severity === 'error' && finding.kind === 'input' && finding.evidence?.some(evidence => evidence.file === file) && message.test(finding.message))
  assert.equal(named.length, 1, JSON.stringify(findings, null, 1))
}

describe(`${CHECKPOINT_RULE}: mutants of the published SAMSUNG llama3-8b checkpointing leaf`, function () {
  this.timeout(60_000)
  const summary = `${CHECKPOINT_LEAF}/summary.json`
  const stats = `${CHECKPOINT_LEAF}/0_per_epoch_stats.json`

  it('the intact leaf: no finding of the bound (its mean 15.91 GiB/s lies between 104.7 GiB / 6.61 s and the fastest checkpoint\'s 17.49)', async () => {
    assert.deepEqual(await findingsOf(join(FIXTURES, 'checkpointing-v3.0'), CHECKPOINT_RULE), [])
  })

  it('the write mean past the fastest of rank 0\'s ten checkpoints: named in summary.json', async () => {
    const root = mutant('checkpointing-v3.0', {[summary]: document => { document.metric.save_checkpoint_io_mean_GB_per_second = 19 }})
    await assertFlags(root, CHECKPOINT_RULE, summary, /save_checkpoint_io_mean_GB_per_second = 19 GiB\/s is more than the fastest checkpoint allows: .* is 17\.49\d* GiB\/s/)
  })

  it('one checkpoint\'s throughput above its size over its own duration: named in 0_per_epoch_stats.json', async () => {
    const root = mutant('checkpointing-v3.0', {[stats]: document => { document['1'].save_ckpt3.throughput = 30 }})
    await assertFlags(root, CHECKPOINT_RULE, stats, /epoch 1 save_ckpt3 throughput = 30 GiB\/s is more than its 104\.7\d* GiB over its 7\.531636 s allow/)
  })

  it('without the per-epoch stats, the mean past the shortest duration the mean and stdev allow (Samuelson): named in summary.json', async () => {
    const root = mutant('checkpointing-v3.0', {[stats]: undefined, [summary]: document => { document.metric.save_checkpoint_io_mean_GB_per_second = 25 }})
    await assertFlags(root, CHECKPOINT_RULE, summary, /= 25 GiB\/s is more than the fastest checkpoint allows: .*the shortest of 10 durations of mean 6\.6093582 s/)
  })

  it('a mean below the size over the mean duration, and durations longer than the run: both named in summary.json', async () => {
    const low = mutant('checkpointing-v3.0', {[summary]: document => { document.metric.load_checkpoint_io_mean_GB_per_second = 1 }})
    await assertFlags(low, CHECKPOINT_RULE, summary, /load_checkpoint_io_mean_GB_per_second = 1 GiB\/s is less than 104\.7\d* GiB over the mean duration 8\.2\d* s/)
    const long = mutant('checkpointing-v3.0', {[summary]: document => { document.metric.save_checkpoint_duration_mean_seconds = 60 }})
    await assertFlags(long, CHECKPOINT_RULE, summary, /10 checkpoint saves of save_checkpoint_duration_mean_seconds = 60 s take 600(\.0+)? s, more than the 252\.\d+ s the run lasted/)
  })
})

describe(`${KV_RULE}: mutants of the KV-cache run the native engine wrote`, function () {
  this.timeout(60_000)
  const summary = `${KV_LEAF}/summary.json`

  it('the intact run: no finding of the bound', async () => {
    assert.deepEqual(await findingsOf(join(FIXTURES, 'kvcache-native-run'), KV_RULE), [])
  })

  it('a rank\'s tokens/s or storage read GiB/s above its own counts over its elapsed time: named in its results file', async () => {
    const tokens = mutant('kvcache-native-run', {[KV_RANK]: document => { document.summary.avg_throughput_tokens_per_sec *= 3 }})
    await assertFlags(tokens, KV_RULE, KV_RANK, /avg_throughput_tokens_per_sec = [\d.]+ tokens\/s is more than its total_tokens = \d+ over its elapsed_time/)
    const read = mutant('kvcache-native-run', {[KV_RANK]: document => { document.summary.cache_stats.tier_storage_read_bandwidth_gbps *= 10 }})
    await assertFlags(read, KV_RULE, KV_RANK, /tier_storage_read_bandwidth_gbps = [\d.]+ GiB\/s is more than its tier_storage_kv_bytes_read_gb/)
  })

  it('a trial\'s sum over ranks, or an option\'s mean over trials, above what the ranks\' counts allow: named in summary.json', async () => {
    const trial = mutant('kvcache-native-run', {[summary]: document => { document.options['1'].trials[0].avg_throughput_tokens_per_sec *= 2 }})
    await assertFlags(trial, KV_RULE, summary, /option 1 trial 0 avg_throughput_tokens_per_sec = [\d.]+ tokens\/s is more than its 2 rank\(s\)' tokens over their elapsed times allow/)
    const option = mutant('kvcache-native-run', {[summary]: document => { document.options['2'].aggregated_read_bandwidth_gbps = 1e308 }})
    await assertFlags(option, KV_RULE, summary, /option 2 aggregated_read_bandwidth_gbps = 1e\+308 GiB\/s is more than the mean over its trials can be/)
  })

  it('without the ranks\' results files the bound is not evaluable, never passed', async () => {
    const root = tempDir('mlps-bounds-')
    cpSync(join(FIXTURES, 'kvcache-native-run'), root, {recursive: true})
    for (const option of [1, 2, 3]) rmSync(join(root, KV_LEAF, `option_${option}`), {recursive: true})
    const [finding] = await findingsOf(root, KV_RULE)
    assert.equal(finding?.notEvaluable, true, JSON.stringify(finding))
    assert.match(finding.message, /kvcache_results_\*\.json .* unknown/)
  })
})
