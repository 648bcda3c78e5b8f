import assert from 'node:assert/strict'
import type {RunRecord} from 'mlps'
import {vectordbFindings} from '@mlps/plugin-vectordb'

function record(metrics: RunRecord['metrics'], overrides: Partial<RunRecord> = {}): RunRecord {
  return {command: 'run', status: 'COMPLETED', division: 'open', metrics, ...overrides} as RunRecord
}

const complete = {throughput_qps: 9222.07, mean_latency_ms: 2.48, p95_latency_ms: 2.79, p99_latency_ms: 2.93, p999_latency_ms: 4.12, recall_at_k: 0.3052, recall_k: 10, ground_truth_complete: true}
const errors = (metrics: RunRecord['metrics'], overrides?: Partial<RunRecord>) => vectordbFindings(record(metrics, overrides), 'HNSW').filter(f => f.severity === 'error').map(f => f.ruleId)

describe('vector-database run checks (rules.md §1.4)', () => {
  it('passes a complete run', () => {
    assert.deepEqual(errors(complete), [])
  })

  it('makes recall 0 an error, never a pass', () => {
    assert.deepEqual(errors({...complete, recall_at_k: 0}), ['vectordb.recall'])
  })

  it('makes a missing recall an error', () => {
    const {recall_at_k: _recall, ...rest} = complete
    assert.deepEqual(errors(rest), ['vectordb.recall'])
  })

  it('makes incomplete or unproven ground truth an error', () => {
    assert.deepEqual(errors({...complete, ground_truth_complete: false}), ['vectordb.groundTruth'])
    const {ground_truth_complete: _gt, ...unproven} = complete
    assert.deepEqual(errors(unproven), ['vectordb.groundTruth'])
  })

  it('asks for throughput and every latency percentile of Rules 5.3.4', () => {
    const {p999_latency_ms: _p999, ...rest} = complete
    assert.deepEqual(errors(rest), ['vectordb.metrics'])
  })

  it('keeps an OPEN index out of CLOSED without failing the run', () => {
    const findings = vectordbFindings(record(complete, {division: 'closed'}), 'IVF_FLAT')
    assert.deepEqual(findings.map(f => [f.ruleId, f.severity, f.openOnly]), [['vectordb.index.closed', 'warn', true]])
  })

  it('does not judge a failed run twice (the core already reports it)', () => {
    assert.deepEqual(errors({}, {status: 'FAILED'}), [])
  })
})
