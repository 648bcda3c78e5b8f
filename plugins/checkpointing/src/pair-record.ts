import {join} from 'node:path'
import {type Finding, parseTimestamp, type RunContext} from 'mlps'
import {readDlioSummary} from '@mlps/result-formats'
import {MAX_WRITE_READ_GAP_SECONDS} from './models.js'
import {PAIR_KIND, type PairOptions} from './procedure.js'

const RULE = 'checkpointing'

/** The write-end → read-start gap, measured three ways (seconds; undefined where a time is missing). */
export interface PairGaps {
  /** write invocation end → read invocation start, from the two run records: what the rules' checker measures (R 4.7.1) */
  invocations?: number
  /** the write engine command's end → the read engine command's start (both on this host's clock) */
  engines?: number
  /** DLIO's own `end` of the write summary → `start` of the read summary (rank 0's clock; the checker's fallback) */
  summaries?: number
}

function seconds(from: string | Date | undefined, to: string | Date | undefined): number | undefined {
  if (from === undefined || to === undefined) return undefined
  const gap = (new Date(to).getTime() - new Date(from).getTime()) / 1000
  return Number.isFinite(gap) ? gap : undefined
}

async function summaryTime(leaf: string | undefined, key: 'start' | 'end'): Promise<Date | undefined> {
  if (!leaf) return undefined
  try {
    const value = (await readDlioSummary(join(leaf, 'summary.json')))[key]
    return typeof value === 'string' ? parseTimestamp(value) : undefined
  } catch {
    return undefined
  }
}

export async function pairGaps(ctx: RunContext, pair: PairOptions): Promise<PairGaps> {
  const write = pair.write
  return {
    invocations: seconds(write?.endedAt, ctx.record.timings.startedAt),
    engines: seconds(write?.engineEndedAt, ctx.engineResult?.commands?.[0]?.startedAt),
    summaries: seconds(await summaryTime(write?.leaf, 'end'), await summaryTime(ctx.leaf, 'start')),
  }
}

/** R 4.7.1: the read starts within 30 s of the write's end; a negative gap means the clocks disagree. */
export function gapFindings(gaps: PairGaps): Finding[] {
  const findings: Finding[] = []
  const measured = Object.entries(gaps).filter((entry): entry is [keyof PairGaps, number] => entry[1] !== undefined)
  const late = measured.filter(([, gap]) => gap > MAX_WRITE_READ_GAP_SECONDS)
  if (late.length > 0) {
    findings.push({ruleId: `${RULE}.writeReadGap`, severity: 'warn', kind: 'rule',
      message: `the read started ${late.map(([how, gap]) => `${gap.toFixed(1)} s (${how})`).join(', ')} after the write ended; Rules 4.7.1 allow ${MAX_WRITE_READ_GAP_SECONDS} s`,
      fix: 'keep what runs between the two short: the cache clearing (sync), the collector snapshots, the preflight checks',
      evidence: late.map(([how, gap]) => ({path: `extra.checkpointing.gapSeconds.${how}`, value: gap}))})
  }
  const backwards = measured.filter(([, gap]) => gap < 0)
  if (backwards.length > 0) {
    findings.push({ruleId: `${RULE}.clockSkew`, severity: 'warn', kind: 'rule',
      message: `the read started before the write ended by ${backwards.map(([how, gap]) => `${(-gap).toFixed(1)} s (${how})`).join(', ')}: the clocks disagree (a host's clock, or this one's, stepped)`,
      fix: 'synchronise the clocks of this host and the client hosts (chrony/ntp)',
      evidence: backwards.map(([how, gap]) => ({path: `extra.checkpointing.gapSeconds.${how}`, value: gap}))})
  }
  return findings
}

/**
 * What each invocation of a pair records under `extra.checkpointing`: the
 * procedure (both carry the pair's id; the read names the write's leaf), and
 * on the read the page-cache clearing done before it and the write-end →
 * read-start gap, where the rules' 4.3.1 and 4.7.1 checks look.
 */
export async function recordPairFacts(ctx: RunContext, pair: PairOptions): Promise<void> {
  const facts: Record<string, unknown> = {
    procedure: {kind: PAIR_KIND, pairId: pair.pairId, phase: pair.phase, ...(pair.write ? {write: {runId: pair.write.runId, leaf: pair.write.leaf}} : {})},
  }
  if (pair.phase === 'read') {
    facts.cacheClear = pair.cacheClear ?? {required: true, cleared: false, reason: 'the cache was not cleared before this read invocation'}
    if (pair.cacheClear && !pair.cacheClear.cleared) {
      ctx.addFinding({ruleId: `${RULE}.cacheClear`, severity: 'warn', kind: 'rule', message: `the page cache was not cleared on every client before the reads (Rules 4.3.1): ${pair.cacheClear.reason}`,
        fix: 'run as root, or with a passwordless sudo rule for the clearing, on every client host'})
    }
    const gaps = await pairGaps(ctx, pair)
    facts.writeEndToReadStartSeconds = gaps.invocations
    facts.gapSeconds = gaps
    for (const finding of gapFindings(gaps)) ctx.addFinding(finding)
  }
  ctx.record.extra.checkpointing = {...ctx.record.extra.checkpointing as object, ...facts}
}
