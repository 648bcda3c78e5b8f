import type {EnginePlan, EngineResult, PreflightCheck, RunContext, z} from 'mlps'

/**
 * What the native engine does for one benchmark: one handler per benchmark,
 * one file each, reading that benchmark's run options typed.
 */
export interface BenchmarkHandler<Options extends Record<string, unknown>> {
  /** the benchmark's commands this handler runs */
  commands: readonly string[]
  /** the benchmark's run options (from @mlps/run-options), which the context is narrowed to */
  runOptionsSchema: z.ZodType<Options>
  /** what it checks before the benchmark's run starts, as declared checks of the native engine */
  checks: readonly PreflightCheck[]
  plan(ctx: RunContext<Options>): Promise<EnginePlan>
  execute(ctx: RunContext<Options>): Promise<EngineResult>
}
