import type {EnginePlan, EngineResult, PreflightCheck, RunContext} from 'mlps'

/** What the native engine does for one benchmark: one handler per benchmark, one file each. */
export interface BenchmarkHandler {
  /** the benchmark's commands this handler runs */
  commands: readonly string[]
  /** what it checks before the benchmark's run starts, as declared checks of the native engine */
  checks: readonly PreflightCheck[]
  plan(ctx: RunContext): Promise<EnginePlan>
  execute(ctx: RunContext): Promise<EngineResult>
}
