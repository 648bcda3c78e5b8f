import {CheckpointingRunOptionsSchema, runWithOptions} from '@mlps/run-options'
import {type RunContext, z} from 'mlps'
import type {CheckpointPlan} from './checkpoint-plan.js'
import type {CacheClearOutcome} from './page-cache.js'

/**
 * How `checkpointing run` performs the rules' procedure (Rules 4.7.1: one
 * invocation of 10 writes and 10 reads, or a write/read pair of 10/0 then
 * 0/10). When the page cache must be cleared between the phases (Rules
 * 4.3.1) and the engine cannot do it inside one invocation, the command runs
 * the pair: two invocations, two run leaves side by side under
 * `checkpointing/<model>/run/` (R 2.1.23 allows 1 or 2 timestamp folders; a
 * leaf holds one DLIO output set, R 2.1.14–2.1.26), the caches cleared on
 * every client host in between.
 */
export const PAIR_KIND = 'write/read pair'

/** Engines that clear the cache between their own phases: the native engine runs on this host only and does it in-process. */
const CLEARS_BETWEEN_ITS_PHASES = new Set(['native'])

/** What the write invocation hands the read one, for its record. */
const WriteFactsSchema = z.object({
  runId: z.string(),
  leaf: z.string().optional(),
  /** the write invocation's end (its record's timings.endedAt) */
  endedAt: z.string().optional(),
  /** when the engine's last command ended */
  engineEndedAt: z.string().optional(),
})
export type WriteFacts = z.output<typeof WriteFactsSchema>

/** `ctx.options.procedure` of either invocation of a pair: the command's note to its own taps, engines do not read it. */
const PairOptionsSchema = z.object({
  kind: z.literal(PAIR_KIND),
  pairId: z.string(),
  phase: z.enum(['write', 'read']),
  /** read phase: the invocation before it */
  write: WriteFactsSchema.optional(),
  /** read phase: the clearing done between the two, as the command measured it */
  cacheClear: z.custom<CacheClearOutcome>(value => typeof value === 'object' && value !== null && 'cleared' in value && 'perHost' in value).optional(),
})
export type PairOptions = z.output<typeof PairOptionsSchema>
export type PairPhase = PairOptions['phase']

/** What `checkpointing run` hands engines (the shared options) and, for a pair, its own taps (the procedure). */
export const CheckpointingCommandOptionsSchema = CheckpointingRunOptionsSchema.extend({procedure: PairOptionsSchema.optional()})

export function runsAsPair(engine: string, plan: CheckpointPlan): boolean {
  return !CLEARS_BETWEEN_ITS_PHASES.has(engine) && plan.cacheClearRequired && plan.numCheckpointsWrite > 0 && plan.numCheckpointsRead > 0
}

export function pairOf(ctx: RunContext): PairOptions | undefined {
  return runWithOptions(ctx, CheckpointingCommandOptionsSchema)?.options.procedure
}
