import {requireRunOptions} from '@mlps/run-options'
import type {CheckContext, CheckResult, PreflightCheck, RunContext, z} from 'mlps'
import {ExitCode, MlpsError} from 'mlps'
import {runOf} from 'mlps/unstable'

interface NativeRunCheck<Options extends Record<string, unknown>> {
  id: string
  title: string
  benchmark: string
  commands: readonly string[]
  /** the benchmark's run options, which the run is narrowed to before `run` reads it */
  schema?: z.ZodType<Options>
  appliesTo?(ctx: CheckContext): boolean
  run(ctx: RunContext<Options>, check: CheckContext): Promise<CheckResult>
}

/** A check of the native engine about one benchmark's run: evaluated on this host, from the run's own inputs. */
export function nativeRunCheck<Options extends Record<string, unknown> = Record<string, unknown>>(check: NativeRunCheck<Options>): PreflightCheck {
  return {
    id: check.id, title: check.title, runsOn: 'invocation', engine: 'native', benchmark: check.benchmark, commands: check.commands, modes: ['run'],
    ...(check.appliesTo ? {appliesTo: check.appliesTo} : {}),
    async run(ctx) {
      try {
        const run = check.schema ? requireRunOptions(runOf(ctx), check.schema, 'the native engine') : runOf(ctx) as RunContext<Options>
        return await check.run(run, ctx)
      } catch (error) {
        // the run's options do not suit the native engine: the run itself would stop on the same error
        if (!(error instanceof MlpsError)) throw error
        return {status: 'fail', detail: error.where ? `${error.where}: ${error.message}` : error.message, ...(error.fix ? {fix: error.fix} : {}),
          kind: error.exitCode === ExitCode.EnvironmentNotReady ? 'environment' : 'input'}
      }
    },
  }
}
