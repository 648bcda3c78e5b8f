import type {EnginePlan, EngineResult, RunContext} from 'mlps'

/** What the native engine does for one benchmark: one handler per benchmark, one file each. */
export interface BenchmarkHandler {
  /** the benchmark's commands this handler runs */
  commands: readonly string[]
  preflight(ctx: RunContext): Promise<void>
  plan(ctx: RunContext): Promise<EnginePlan>
  execute(ctx: RunContext): Promise<EngineResult>
}
