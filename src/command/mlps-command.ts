import {randomUUID} from 'node:crypto'
import {Command, Flags, type Interfaces} from '@oclif/core'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {appendHistoryEnd, appendHistoryStart, historyFile} from '../history/history.js'
import {redactArgv} from '../history/redact.js'
import {currentProcess} from '../launch/process-identity.js'
import {redactSecrets, redactText, rememberArgvSecrets} from '../util/redact-secrets.js'
import {claimStopSignals, exitCodeOf, othersListen, type StopHandler, type StopSignal} from './stop-signals.js'
import {errorReport, filesystemError, FlagParseError, renderErrorReport} from './error-report.js'
import {createLogger, type Logger} from '../ux/logger.js'
import {createProgress, type Progress, resolveProgressMode} from '../ux/progress.js'

/**
 * The base of every mlps command: --json everywhere with exit codes kept
 * (oclif 4 turns them into 1 under --json, oclif/core#1423), human messages
 * on stderr, bad input rendered as problem + fix, and a history entry for
 * every invocation.
 */
export abstract class MlpsCommand extends Command {
  static enableJsonFlag = true
  /** SIGINT/SIGTERM are this command's to handle (hooks/prerun.ts gives them back to other commands) */
  static takesStopSignals = true

  static baseFlags = {
    config: Flags.string({description: 'config file to use instead of searching for one', helpGroup: 'GLOBAL'}),
    verbose: Flags.boolean({description: 'print debug messages on stderr', helpGroup: 'GLOBAL'}),
  }

  /** false for commands whose invocations would only clutter history (history itself) */
  protected recordInHistory = true
  /** a run leaf produced by this invocation, kept in its history entry */
  protected producedLeaf?: string
  private readonly startedAt = performance.now()
  /** joins this invocation's history lines; set once its start is recorded */
  private historyId?: string
  /** the end line being written, once: a signal's exit waits for it rather than cut it short */
  private historyEnd?: Promise<void>
  /** settles once the start line is written (or could not be) */
  private historyStarted: Promise<void> = Promise.resolve()
  private releaseStopSignals?: () => void
  /**
   * What SIGINT/SIGTERM do while set (a benchmark run stops its engine and records the run); unset, the
   * invocation records its end as interrupted and exits with the signal's code.
   */
  protected stopHandler?: StopHandler

  protected get logger(): Logger {
    return createLogger({verbose: this.argv.includes('--verbose') || Boolean(process.env.MLPS_VERBOSE)})
  }

  override async init(): Promise<void> {
    // before anything can print or record a value, so every later redaction knows this run's secrets
    rememberArgvSecrets(this.argv)
    // a signal that came while oclif loaded waits until the start line exists, so the line it ends is there
    let early: StopSignal | undefined
    let starting = true
    this.releaseStopSignals ??= claimStopSignals(signal => {
      if (this.stopHandler) this.stopHandler(signal)
      else if (starting) early ??= signal
      else if (!othersListen(signal)) void this.stopNow(signal)
    })
    await super.init()
    if (this.recordInHistory) await (this.historyStarted = this.recordStart())
    starting = false
    if (early) {
      process.exitCode = exitCodeOf(early)
      this.exit(exitCodeOf(early))
    }
  }

  /** A signal with no stopHandler: the history says interrupted, and mlps exits with the signal's code. */
  private async stopNow(signal: StopSignal): Promise<never> {
    // the work already ended and its end line is being written: that is how it ended
    if (!this.historyEnd) process.exitCode = exitCodeOf(signal)
    await this.historyStarted
    await this.recordEnd(undefined)
    process.exit()
  }

  /** The history line of an invocation that starts: written first, so one that is killed still has it. */
  private async recordStart(): Promise<void> {
    const id = randomUUID()
    try {
      await appendHistoryStart(historyFile(this.config.dataDir), {
        id,
        time: new Date().toISOString(),
        command: (this.id ?? '').replaceAll(':', ' '),
        argv: redactArgv([...(this.id ?? '').split(':'), ...this.argv]),
        cwd: process.cwd(),
        ...currentProcess(),
        mlpsVersion: this.config.version,
      })
      this.historyId = id
    } catch (historyError) {
      process.stderr.write(`warning: could not append to history: ${(historyError as Error).message}\n`)
    }
  }

  /** Human output: stdout normally, stderr under --json so stdout stays parseable. */
  protected say(message: string): void {
    if (this.jsonEnabled()) process.stderr.write(redactText(message) + '\n')
    else process.stdout.write(redactText(message) + '\n')
  }

  /** Every JSON mlps prints passes the one redaction rule. */
  override logJson(json: unknown): void {
    super.logJson(redactSecrets(json))
  }

  /** Stages and bars on stderr for long work; silent under --json. */
  protected createProgress(): Progress {
    return createProgress({mode: resolveProgressMode('auto', this.jsonEnabled())})
  }

  /** One `{message, where, fix, exitCode}` for every error, printed redacted; `this.exit()` passes through. */
  override async catch(error: Interfaces.CommandError): Promise<unknown> {
    if ((error as {code?: unknown}).code === 'EEXIT') return super.catch(error)
    // whatever part of the parser threw (an unknown flag, a flag's own parse function), it is bad input: exit 2
    const parseFailed = !this.parsed && !(error instanceof MlpsError) && !filesystemError(error)
    const report = errorReport(parseFailed ? new FlagParseError(error, this.id) : error)
    process.exitCode = report.exitCode
    if (this.jsonEnabled()) {
      this.logJson({error: report})
    } else {
      process.stderr.write(`Error: ${renderErrorReport(report)}\n`)
      if (this.argv.includes('--verbose') && error.stack) process.stderr.write(redactText(error.stack) + '\n')
    }
  }

  override async finally(error: Error | undefined): Promise<unknown> {
    await this.recordEnd(error)
    this.giveBackStopSignals()
    return super.finally(error)
  }

  /** SIGINT/SIGTERM go back to whoever had them before this command's init (a campaign, after one of its steps). */
  protected giveBackStopSignals(): void {
    this.releaseStopSignals?.()
    this.releaseStopSignals = undefined
  }

  /**
   * The end of a command run inside another (a campaign's step), which oclif's finally never reaches:
   * its history line ends with the step's own exit code, not with whatever the process holds so far.
   */
  protected async endAsStep(exitCode: number): Promise<void> {
    await this.recordEnd(undefined, exitCode)
    this.giveBackStopSignals()
  }

  /** The history line of the invocation's end, once. */
  private recordEnd(error: Error | undefined, stepExitCode?: number): Promise<void> {
    this.historyEnd ??= this.appendEnd(error, stepExitCode)
    return this.historyEnd
  }

  private async appendEnd(error: Error | undefined, stepExitCode: number | undefined): Promise<void> {
    if (this.historyId) {
      try {
        const exitCode = stepExitCode ?? Number(process.exitCode ?? (error ? ((error as {oclif?: {exit?: number}}).oclif?.exit ?? 1) : 0))
        await appendHistoryEnd(historyFile(this.config.dataDir), {
          id: this.historyId,
          time: new Date().toISOString(),
          exitCode: Number.isFinite(exitCode) ? exitCode : ExitCode.RunFailed,
          durationSeconds: (performance.now() - this.startedAt) / 1000,
          leaf: this.producedLeaf,
        })
      } catch (historyError) {
        process.stderr.write(`warning: could not append to history: ${(historyError as Error).message}\n`)
      }
    }
  }
}
