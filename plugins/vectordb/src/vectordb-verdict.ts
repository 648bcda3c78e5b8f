import type {Finding, RunRecord} from 'mlps'
import {isClosedIndex} from './index-types.js'

const LATENCY_METRICS = ['throughput_qps', 'mean_latency_ms', 'p95_latency_ms', 'p99_latency_ms', 'p999_latency_ms'] as const

/**
 * The vector-database checks every engine's run must pass (rules.md §1.4):
 * a recall computed and above 0 (5.3.2), complete ground truth (5.3.5),
 * throughput and latency percentiles present (5.3.4), a CLOSED index type.
 * Recall 0 or missing ground truth makes the run INVALID, never a pass.
 */
export function vectordbFindings(record: RunRecord, indexType: string | undefined): Finding[] {
  const findings: Finding[] = []
  if (record.division === 'closed' && indexType && !isClosedIndex(indexType)) {
    findings.push({ruleId: 'vectordb.index.closed', severity: 'warn', openOnly: true, message: `index ${indexType} is OPEN only; CLOSED allows DISKANN, HNSW and AISAQ (Rules 5.6)`, fix: 'use a CLOSED index for a CLOSED result'})
  }
  if (record.command !== 'run' || record.status !== 'COMPLETED') return findings
  const metrics = record.metrics
  const recall = metrics.recall_at_k
  if (typeof recall !== 'number') {
    findings.push({ruleId: 'vectordb.recall', severity: 'error', message: 'the run reports no recall: without it the result cannot be judged (Rules 5.3.2)', fix: 'run with ground truth (vdbbench builds <collection>_flat_gt; do not pass --no-create-flat)'})
  } else if (!(recall > 0)) {
    findings.push({ruleId: 'vectordb.recall', severity: 'error', message: `recall@${metrics.recall_k ?? 'k'} is ${recall}: the index returned none of the true neighbours, or the ground truth is broken`, fix: 'check the ground-truth collection (coverage ≥ 99 %) and the search parameters (--search-ef)'})
  }
  if (metrics.ground_truth_complete === false) {
    findings.push({ruleId: 'vectordb.groundTruth', severity: 'error', message: 'the ground truth is incomplete (FLAT copy below 99 % coverage), so the recall is not meaningful (Rules 5.3.5)', fix: 'rebuild the ground-truth collection and run again'})
  } else if (metrics.ground_truth_complete === undefined) {
    findings.push({ruleId: 'vectordb.groundTruth', severity: 'error', message: 'nothing shows the ground truth was complete (no result_verdict.json with flat_setup coverage)', fix: 'use the v3.0 vdbbench, which writes result_verdict.json'})
  }
  if (metrics.result_valid === false) {
    findings.push({ruleId: 'vectordb.verdict', severity: 'error', message: 'vdbbench judged the result not valid (result_verdict.json)'})
  }
  const missing = LATENCY_METRICS.filter(name => typeof metrics[name] !== 'number')
  if (missing.length > 0) {
    findings.push({ruleId: 'vectordb.metrics', severity: 'error', message: `the run lacks ${missing.join(', ')} (Rules 5.3.4)`})
  }
  return findings
}
