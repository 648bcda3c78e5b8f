/**
 * The one table of mlps exit codes. docs/exit-codes.md mirrors it; a test
 * keeps the two in step.
 */
export enum ExitCode {
  /** the command did what was asked (a benchmark run COMPLETED, verify found nothing INVALID) */
  Ok = 0,
  /** a benchmark run started and FAILED (engine exit code, missing artifacts, I/O error) */
  RunFailed = 1,
  /** bad input: a flag, a --param, a config file or a results tree that cannot be used */
  BadInput = 2,
  /** the environment is not ready: a missing binary, module, host, permission or free space */
  EnvironmentNotReady = 3,
  /** verification put something in the INVALID category */
  Invalid = 4,
  /** interrupted by SIGINT (Ctrl-C); the run record says INTERRUPTED */
  Interrupted = 130,
  /** terminated by SIGTERM; the run record says INTERRUPTED */
  Terminated = 143,
}

export const exitCodeDescriptions: Record<ExitCode, string> = {
  [ExitCode.Ok]: 'success',
  [ExitCode.RunFailed]: 'a benchmark run failed',
  [ExitCode.BadInput]: 'bad input (flag, --param, config file, results tree)',
  [ExitCode.EnvironmentNotReady]: 'environment not ready (missing binary, module, host, permission, space)',
  [ExitCode.Invalid]: 'verification found an INVALID result',
  [ExitCode.Interrupted]: 'interrupted by SIGINT',
  [ExitCode.Terminated]: 'terminated by SIGTERM',
}
