import {join} from 'node:path'
import {type Finding, type RunContext} from 'mlps'
import {parseTimestamp} from 'mlps/unstable'
import {readDlioSummary} from '@mlps/result-formats'
import {MAX_WRITE_READ_GAP_SECONDS} from './models.js'
import {PAIR_KIND, type PairOptions} from './procedure.js'

const RULE = 'checkpointing'

/**
 * Times between the write invocation and the read one (seconds; undefined where a time is missing).
 * Only `invocations` is the write→read gap: the one Rules 4.7.1 limit and the checker measures; the
 * others are measured between other events and are kept for the record.
 */
export interface PairGaps {
  /** write invocation end → read invocation start, from the two run records: the gap (R 4.7.1) */
  invocations?: number
  /** the write engine command's end → the read engine command's start (both on this host's clock) */
  engines?: number
  /** DLIO's own `end` of the write summary → `start` of the read summary (rank 0's clock) */
  summaries?: number
}

/** What lies between the last checkpoint written and the first one read, in order (seconds). */
export interface GapParts {
  /** DLIO's write summary `end` → the write engine command's end: DLIO's teardown (before the gap) */
  engineTeardown?: number
  /** the write engine's end → the write invocation's end: mlps collecting and verifying (before the gap) */
  writeInvocationFinish?: number
  /** the page cache clearing on every client host (inside the gap) */
  cacheClear?: number
  /** the read invocation's start → its engine's start: the read's preflight checks and setup (after the gap) */
  readInvocationSetup?: number
  /** the read engine's start → DLIO's read summary `start`: Python, torch, MPI and DLIO start-up (after the gap) */
  engineStartup?: number
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

export async function pairGaps(ctx: RunContext, pair: PairOptions): Promise<{gaps: PairGaps; parts: GapParts}> {
  const write = pair.write
  const [writeSummaryEnd, readSummaryStart] = [await summaryTime(write?.leaf, 'end'), await summaryTime(ctx.leaf, 'start')]
  const readEngineStart = ctx.engineResult?.commands?.[0]?.startedAt
  return {
    gaps: {
      invocations: seconds(write?.endedAt, ctx.record.timings.startedAt),
      engines: seconds(write?.engineEndedAt, readEngineStart),
      summaries: seconds(writeSummaryEnd, readSummaryStart),
    },
    parts: {
      engineTeardown: seconds(writeSummaryEnd, write?.engineEndedAt),
      writeInvocationFinish: seconds(write?.engineEndedAt, write?.endedAt),
      cacheClear: pair.cacheClear?.cleared === false ? undefined : pair.cacheClear?.seconds,
      readInvocationSetup: seconds(ctx.record.timings.startedAt, readEngineStart),
      engineStartup: seconds(readEngineStart, readSummaryStart),
    },
  }
}

/** R 4.7.1 on the one gap the rules define: the read starts within 30 s of the write's end; negative means the clocks disagree. */
export function gapFindings(gaps: PairGaps): Finding[] {
  const gap = gaps.invocations
  if (gap === undefined) return []
  const evidence = [{path: 'extra.checkpointing.writeEndToReadStartSeconds', value: gap}]
  if (gap > MAX_WRITE_READ_GAP_SECONDS) {
    return [{ruleId: `${RULE}.writeReadGap`, severity: 'warn', kind: 'rule',
      message: `the read invocation started ${gap.toFixed(1)} s after the write invocation ended; Rules 4.7.1 allow ${MAX_WRITE_READ_GAP_SECONDS} s`,
      fix: 'keep what runs between the two short: the cache clearing (sync), the collector snapshots, the preflight checks', evidence}]
  }
  if (gap < 0) {
    return [{ruleId: `${RULE}.clockSkew`, severity: 'warn', kind: 'rule',
      message: `the read invocation started ${(-gap).toFixed(1)} s before the write invocation ended: the clock stepped`,
      fix: 'synchronise the clocks of this host and the client hosts (chrony/ntp)', evidence}]
  }
  return []
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
    const {gaps, parts} = await pairGaps(ctx, pair)
    facts.writeEndToReadStartSeconds = gaps.invocations
    facts.gapSeconds = gaps
    facts.gapParts = parts
    for (const finding of gapFindings(gaps)) ctx.addFinding(finding)
  }
  ctx.record.extra.checkpointing = {...ctx.record.extra.checkpointing as object, ...facts}
}
