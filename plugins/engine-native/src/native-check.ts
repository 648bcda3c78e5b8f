import {requireRunOptions} from '@mlps/run-options'
import type {CheckContext, CheckResult, PreflightCheck, RunContext, z} from 'mlps'
import {ExitCode, MlpsError} from 'mlps'
import {isLocalHost, runOf} from 'mlps/unstable'

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

/** The native engine runs its ranks on this host only. */
export function localOnlyCheck(id: string, benchmark: string, commands: readonly string[]): PreflightCheck {
  return nativeRunCheck({
    id, title: 'the native engine runs on this host only', benchmark, commands,
    async run(ctx) {
      const remote = ctx.hosts.filter(host => !isLocalHost(host.name))
      if (remote.length === 0) return {status: 'ok', detail: `every host is this one (${ctx.hosts.map(h => h.name).join(', ')})`}
      return {status: 'fail', kind: 'input', detail: `the native engine runs on this host only, not on ${remote.map(h => h.name).join(', ')}`,
        fix: 'drop --hosts (or set hosts: [localhost]), or use --engine dlio for a multi-host run'}
    },
  })
}
