import {MlpsError, z} from 'mlps'

/** vdbbench's result_verdict.json (engines.md §4.4; FLAT coverage must be ≥ 0.99, storage issue #572). */
export const VdbbenchVerdictSchema = z.object({
  result: z.string(),
  valid: z.boolean(),
  num_queries_evaluated: z.number().int().optional(),
  flat_setup: z.object({
    ok: z.boolean().optional(),
    coverage: z.number().optional(),
    total_vectors: z.number().optional(),
    copied_vectors: z.number().optional(),
    reason: z.string().nullable().optional(),
  }).passthrough().optional(),
}).passthrough()

export type VdbbenchVerdict = z.output<typeof VdbbenchVerdictSchema>

export function parseVdbbenchVerdict(text: string, where: string): VdbbenchVerdict {
  const parsed = VdbbenchVerdictSchema.safeParse(JSON.parse(text))
  if (!parsed.success) throw new MlpsError(`${where} is not a vdbbench verdict: ${parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
  return parsed.data
}

/** Is the ground truth complete? false when the FLAT copy is short of 99 % or the verdict says so; undefined when the file does not say. */
export function groundTruthComplete(verdict: VdbbenchVerdict): boolean | undefined {
  const coverage = verdict.flat_setup?.coverage
  if (coverage !== undefined && coverage < 0.99) return false
  if (verdict.flat_setup?.ok === false) return false
  if (coverage !== undefined || verdict.flat_setup?.ok === true) return true
  return undefined
}
