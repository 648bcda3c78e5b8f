import assert from 'node:assert/strict'
import {readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import type {CampaignResult, RunRecord} from 'mlps/unstable'
import {isolatedEnv, parseJson, runCli, tempDir} from '../helpers/cli.js'

describe('mlps checkpointing campaign (native engine, scaled down)', function () {
  this.timeout(180_000)
  let root: string
  before(() => {
    root = tempDir('mlps-ckpt-campaign-')
  })
  after(() => rmSync(root, {recursive: true, force: true}))

  it('makes the invocations 4.7.1 wants (one of 10 writes and 10 reads) and records its leaf', async () => {
    const env = isolatedEnv()
    const result = await runCli([
      'checkpointing', 'campaign', '--model', 'llama3-8b', '--num-processes', '8', '--open', '--collector', 'none', '--scale', '0.0001',
      '--checkpoint-folder', join(root, 'ckpt'), '--results-dir', join(root, 'results'), '--client-host-memory-in-gb', '1',
      '--param', 'checkpoint.time_between_checkpoints=0.1', '--json',
    ], {env})
    assert.equal(result.exitCode, 0, result.stderr)
    const {campaign} = parseJson<CampaignResult>(result)
    assert.equal(campaign.status, 'COMPLETE')
    assert.equal(campaign.benchmark, 'checkpointing')
    assert.equal(campaign.model, 'llama3-8b')
    assert.deepEqual(campaign.steps.map(step => [step.role, step.status]), [['write+read', 'COMPLETED']])
    const record = JSON.parse(readFileSync(join(root, 'results', campaign.steps[0].leaf!, 'metadata.json'), 'utf8')) as RunRecord
    const checkpoint = (record.parameters.effective as {checkpoint: Record<string, unknown>}).checkpoint
    assert.deepEqual([checkpoint.num_checkpoints_write, checkpoint.num_checkpoints_read], [10, 10])
    assert.equal(record.campaign?.id, campaign.id)

    const verify = await runCli(['verify', join(root, 'results'), '--edition', '3.0', '--json'], {env})
    const report = parseJson<{findings: Array<{ruleId: string; severity: string; notEvaluable?: boolean}>}>(verify)
    const structure = report.findings.filter(finding => finding.ruleId.startsWith('4.7.1 checkpointInvocationStructure') || finding.ruleId === '2.1.17 groupSameParameters')
    assert.deepEqual(structure.filter(finding => finding.severity === 'error'), [])
  })
})
