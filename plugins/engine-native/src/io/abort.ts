/** The error an aborted operation rejects with: `name === 'AbortError'`, like DOM/Node aborts. */
export class AbortError extends Error {
  override readonly name = 'AbortError'
  constructor(message = 'The operation was aborted', options?: {cause?: unknown}) {
    super(message, options)
  }
}

export function abortErrorFrom(signal: AbortSignal, what: string): AbortError {
  return new AbortError(`${what} was aborted`, {cause: signal.reason})
}
