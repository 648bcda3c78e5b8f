import {MlpsError, type RunContext, type z} from 'mlps'

/**
 * Whether the context's options match `schema`; narrows the context to
 * those options. The core has already checked them against the benchmark's
 * declared schema; this is the engine's (or tap's) side of the contract, so
 * two plugins built against different versions of it meet a clear error
 * instead of an undefined read. The options are not copied: taps that set
 * them keep seeing the same object.
 */
export function hasRunOptions<S extends z.ZodType<Record<string, unknown>>>(ctx: RunContext, schema: S): ctx is RunContext<z.output<S>> {
  return schema.safeParse(ctx.options).success
}

/** The context typed by `schema`, or undefined when its options are another benchmark's (or none). */
export function runWithOptions<S extends z.ZodType<Record<string, unknown>>>(ctx: RunContext, schema: S): RunContext<z.output<S>> | undefined {
  return hasRunOptions(ctx, schema) ? ctx : undefined
}

/**
 * The context typed by `schema`, for an engine that cannot run without
 * those options: `who` (e.g. "the native engine") is named in the error.
 */
export function requireRunOptions<S extends z.ZodType<Record<string, unknown>>>(ctx: RunContext, schema: S, who: string): RunContext<z.output<S>> {
  if (hasRunOptions(ctx, schema)) return ctx
  const issues = schema.safeParse(ctx.options).error?.issues ?? []
  const problems = issues.slice(0, 3).map(issue => `${issue.path.join('.') || '(options)'}: ${issue.message}`).join('; ')
  throw new MlpsError(`${ctx.benchmark} ${ctx.command} handed ${who} run options it cannot use: ${problems}`, {
    fix: `this is a bug in the ${ctx.benchmark} plugin or a version mismatch: install plugins built against the same @mlps/run-options`,
  })
}
