import {z} from 'zod'

export const SeveritySchema = z.enum(['error', 'warn', 'info'])
export type Severity = z.infer<typeof SeveritySchema>

/** Where a finding's evidence sits: a file and, inside it, a JSON path. */
export const EvidenceSchema = z.object({
  file: z.string().optional(),
  path: z.string().optional(),
  value: z.unknown().optional(),
})
export type Evidence = z.infer<typeof EvidenceSchema>

/**
 * A finding is how every check in mlps speaks: preflight, rules, engines.
 * `kind` tells the lifecycle which exit code a blocking error maps to.
 */
export const FindingSchema = z.object({
  ruleId: z.string().min(1),
  severity: SeveritySchema,
  message: z.string(),
  fix: z.string().optional(),
  evidence: z.array(EvidenceSchema).default([]),
  kind: z.enum(['input', 'environment', 'rule', 'run']).optional(),
  /** a rule whose inputs were missing: it did not pass, it could not be judged */
  notEvaluable: z.boolean().optional(),
  /** a condition that keeps a result out of CLOSED without making it INVALID */
  openOnly: z.boolean().optional(),
})
export type Finding = z.input<typeof FindingSchema>

export const CategorySchema = z.enum(['CLOSED', 'OPEN', 'INVALID', 'UNVERIFIED'])
export type Category = z.infer<typeof CategorySchema>

/** Any error → INVALID, else any OPEN-only condition → OPEN, else CLOSED. */
export function categorize(findings: readonly Finding[], requestedDivision: 'closed' | 'open'): Category {
  if (findings.some(f => f.severity === 'error')) return 'INVALID'
  if (requestedDivision.toLowerCase() === 'open' || findings.some(f => f.openOnly)) return 'OPEN'
  return 'CLOSED'
}
