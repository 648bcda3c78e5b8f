import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import type {CampaignRecord, CampaignResult, RunRecord} from 'mlps/unstable'
import {readHistory} from '../../src/history/history.js'
import {isolatedEnv, parseJson, runCli, startCli, tempDir} from '../helpers/cli.js'

// Training campaigns on the native engine, scaled down (16 files of 256 KiB): the built CLI from an empty
// results dir, as a user runs it. OPEN, so nothing depends on the CLOSED defaults of organization and system.
// the organization isolatedEnv() names for every CLI test
const GROUP = join('open', isolatedEnv().MLPS_ORGANIZATION!)

function campaignArgs(root: string, extra: string[] = []): string[] {
  return [
    'training', 'campaign', '--model', 'unet3d', '--accelerator-type', 'h100', '--num-accelerators', '2', '--open', '--collector', 'none',
    '--data-dir', join(root, 'data'), '--results-dir', join(root, 'results'), '--client-host-memory-in-gb', '1',
    '--param', 'dataset.num_files_train=16', '--param', 'dataset.record_length_bytes=262144', '--param', 'dataset.record_length_bytes_stdev=0',
    ...extra,
  ]
}

/** The folder holding the run leaves of the workload (results/<system>/training/unet3d/run). */
function workloadFolder(root: string, command: string): string {
  const systems = join(root, 'results', GROUP, 'results')
  const [system] = readdirSync(systems)
  return join(systems, system, 'training', 'unet3d', command)
}

const leavesOf = (root: string, command: string) => {
  const folder = workloadFolder(root, command)
  return existsSync(folder) ? readdirSync(folder).sort() : []
}

function campaignRecords(root: string): CampaignRecord[] {
  const dir = join(root, 'results', '.mlps', 'campaigns')
  if (!existsSync(dir)) return []
  return readdirSync(dir).filter(name => name.endsWith('.json')).map(name => {
    try {
      return JSON.parse(readFileSync(join(dir, name), 'utf8')) as CampaignRecord
    } catch {
      return undefined
    }
  }).filter((record): record is CampaignRecord => record !== undefined)
}

const runRecord = (root: string, leaf: string) => JSON.parse(readFileSync(join(root, 'results', leaf, 'metadata.json'), 'utf8')) as RunRecord

describe('mlps training campaign (native engine, scaled down)', function () {
  this.timeout(240_000)
  const roots: string[] = []
  after(() => {
    for (const root of roots) rmSync(root, {recursive: true, force: true})
  })

  it('from an empty results dir: datasize, datagen, then 1 warm-up + 5 runs that verify --edition 3.0 does not fault for 2.1.17 / 2.1.18', async () => {
    const root = tempDir('mlps-campaign-')
    roots.push(root)
    const env = isolatedEnv()
    const result = await runCli([...campaignArgs(root), '--json'], {env})
    assert.equal(result.exitCode, 0, result.stderr)
    const {campaign, resumed} = parseJson<CampaignResult>(result)
    assert.equal(resumed, false)
    assert.equal(campaign.status, 'COMPLETE')
    assert.deepEqual(campaign.steps.map(step => [step.role, step.label, step.status]), [
      ['datasize', 'datasize', 'COMPLETED'], ['datagen', 'datagen', 'COMPLETED'],
      ['warmup', 'run 1 of 6 (warm-up)', 'COMPLETED'],
      ...[2, 3, 4, 5, 6].map(n => ['run', `run ${n} of 6`, 'COMPLETED']),
    ])
    assert.equal(leavesOf(root, 'run').length, 6)
    assert.equal(leavesOf(root, 'datagen').length, 1)
    // the campaign's record on disk is the one printed, and names every leaf it made
    const [onDisk] = campaignRecords(root)
    assert.deepEqual(onDisk.steps.map(step => step.leaf), campaign.steps.map(step => step.leaf))
    for (const [index, step] of campaign.steps.entries()) {
      const record = runRecord(root, step.leaf!)
      assert.equal(record.status, 'COMPLETED')
      assert.deepEqual(record.campaign, {id: campaign.id, step: index + 1, steps: 8, role: step.role, label: step.label})
    }
    // each step's history line is ended with its exit code, as the campaign's own is (none is left "running" or "killed")
    const history = await readHistory(join(env.MLPS_DATA_DIR!, 'history.jsonl'))
    const steps = history.filter(entry => entry.command !== 'training campaign')
    assert.deepEqual(steps.map(entry => [entry.command, entry.status, entry.exitCode]), [
      ['training datasize', 'completed', 0], ['training datagen', 'completed', 0],
      ...Array.from({length: 6}, () => ['training run', 'completed', 0]),
    ])
    assert.deepEqual(steps.map(entry => entry.leaf), campaign.steps.map(step => join(root, 'results', step.leaf!)))
    // every run reads the 16 files the campaign was given
    assert.ok(campaign.steps.slice(2).every(step => (runRecord(root, step.leaf!).parameters.effective as any).dataset.num_files_train === 16))

    const verify = await runCli(['verify', join(root, 'results'), '--edition', '3.0', '--json'], {env})
    const report = parseJson<{findings: Array<{ruleId: string; severity: string}>}>(verify)
    const faults = report.findings.filter(finding => /^2\.1\.1[78] /.test(finding.ruleId) && finding.severity !== 'info')
    assert.deepEqual(faults, [])

    // a second campaign of a complete one is refused: it would add runs the rules do not count
    const again = await runCli(campaignArgs(root), {env})
    assert.equal(again.exitCode, 2, again.stderr)
    assert.match(again.stderr, new RegExp(`campaign ${campaign.id} of this workload is already complete`))
    assert.equal(leavesOf(root, 'run').length, 6)
  })

  it('killed (SIGKILL) after run 2, started again: refuses other parameters, then runs only runs 3 to 6', async () => {
    const root = tempDir('mlps-campaign-kill-')
    roots.push(root)
    const env = isolatedEnv()
    const first = startCli(campaignArgs(root), {env})
    let killedAt: Date | undefined
    let output = {stdout: '', stderr: ''}
    try {
      for (let i = 0; i < 1200 && !killedAt; i++) {
        const [record] = campaignRecords(root)
        if (record?.steps[3]?.status === 'COMPLETED') {
          first.kill('SIGKILL')
          killedAt = new Date()
        } else {
          await new Promise(resolve => setTimeout(resolve, 50))
        }
      }
    } finally {
      if (!killedAt) first.kill('SIGKILL')
      const ended = await first
      output = {stdout: String(ended.stdout), stderr: String(ended.stderr)}
    }
    assert.ok(killedAt, 'run 2 of 6 never completed')
    // each run names its place: in its summary, and on the progress view's lines
    assert.match(output.stdout, /run 2 of 6 of campaign \S+:\ntraining run unet3d: COMPLETED/)
    assert.match(output.stderr, /\[run 2 of 6\] /)
    const [killed] = campaignRecords(root)
    assert.equal(killed.status, 'RUNNING', 'a SIGKILL leaves no time to write anything else')
    const finished = killed.steps.slice(0, 4).map(step => step.leaf)
    assert.ok(finished.every(leaf => leaf !== undefined))

    // other parameters: refused before anything runs, naming the difference
    const runsBefore = leavesOf(root, 'run')
    const other = await runCli(campaignArgs(root, ['--param', 'reader.read_threads=2']), {env})
    assert.equal(other.exitCode, 2, other.stderr)
    assert.match(other.stderr, /ran with other parameters/)
    assert.match(other.stderr, /reader\.read_threads=2/)
    assert.deepEqual(leavesOf(root, 'run'), runsBefore)

    const resumed = await runCli([...campaignArgs(root), '--json'], {env})
    assert.equal(resumed.exitCode, 0, resumed.stderr)
    const result = parseJson<CampaignResult>(resumed)
    assert.equal(result.resumed, true)
    assert.equal(result.campaign.id, killed.id)
    assert.equal(result.campaign.status, 'COMPLETE')
    // the first four steps are the ones the killed invocation finished, untouched; runs 3-6 started after the kill
    assert.deepEqual(result.campaign.steps.slice(0, 4).map(step => step.leaf), finished)
    for (const step of result.campaign.steps.slice(4)) {
      assert.ok(new Date(runRecord(root, step.leaf!).timings.startedAt) >= new Date(Math.floor(killedAt.getTime() / 1000) * 1000), `${step.label} ran before the kill`)
    }
    assert.equal(leavesOf(root, 'run').length, 6, 'a run the kill cut short leaves the counted tree')
    assert.equal(leavesOf(root, 'datagen').length, 1, 'the datagen is not run again')
    for (const abandoned of result.campaign.abandoned) {
      assert.equal(abandoned.index, 5)
      assert.ok(existsSync(join(root, 'results', abandoned.movedTo, 'metadata.json')))
      assert.ok(abandoned.movedTo.startsWith(join('.mlps', 'campaigns', killed.id, 'abandoned')))
    }
  })

  it('Ctrl-C during run 3 stops the campaign INTERRUPTED; started again, the cut-short leaf leaves the counted tree and runs 3 to 6 run', async () => {
    const root = tempDir('mlps-campaign-int-')
    roots.push(root)
    const env = isolatedEnv()
    const first = startCli(campaignArgs(root, ['--param', 'train.epochs=8']), {env})
    let interrupted = false
    try {
      for (let i = 0; i < 1200 && !interrupted; i++) {
        const [record] = campaignRecords(root)
        const running = record?.steps[4]?.status === 'RUNNING' && leavesOf(root, 'run').some(leaf => {
          try {
            return JSON.parse(readFileSync(join(workloadFolder(root, 'run'), leaf, 'metadata.json'), 'utf8')).campaign?.step === 5
          } catch {
            return false
          }
        })
        if (running) {
          first.kill('SIGINT')
          interrupted = true
        } else {
          await new Promise(resolve => setTimeout(resolve, 50))
        }
      }
    } finally {
      if (!interrupted) first.kill('SIGKILL')
    }
    const ended = await first
    assert.ok(interrupted, 'run 3 of 6 never started')
    assert.equal(ended.exitCode, 130, String(ended.stderr))
    const [stopped] = campaignRecords(root)
    assert.equal(stopped.status, 'INTERRUPTED')
    assert.equal(stopped.steps[4].status, 'INTERRUPTED', String(ended.stdout).slice(-3000))
    assert.deepEqual(stopped.steps.slice(5).map(step => step.status), ['PENDING', 'PENDING', 'PENDING'])
    const cutShort = stopped.steps[4].leaf!
    assert.equal(runRecord(root, cutShort).status, 'INTERRUPTED')

    const resumed = await runCli([...campaignArgs(root, ['--param', 'train.epochs=8']), '--json'], {env})
    assert.equal(resumed.exitCode, 0, resumed.stderr)
    const {campaign} = parseJson<CampaignResult>(resumed)
    assert.equal(campaign.status, 'COMPLETE')
    assert.deepEqual(campaign.abandoned.map(leaf => [leaf.index, leaf.leaf, leaf.status]), [[5, cutShort, 'INTERRUPTED']])
    assert.ok(!existsSync(join(root, 'results', cutShort)))
    assert.equal(runRecord(root, campaign.abandoned[0].movedTo).status, 'INTERRUPTED')
    assert.equal(leavesOf(root, 'run').length, 6)
    assert.deepEqual(campaign.steps.slice(0, 4).map(step => step.leaf), stopped.steps.slice(0, 4).map(step => step.leaf))
  })
})
