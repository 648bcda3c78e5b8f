import type {HostFailure, HostFailureReason} from 'mlps'

/** A per-host failure with its class; it becomes one entry of a snapshot's `missing`. */
export class HostError extends Error {
  constructor(readonly reason: HostFailureReason, message: string) {
    super(message)
    this.name = 'HostError'
  }

  failure(host: string): HostFailure {
    return {host, reason: this.reason, message: this.message}
  }
}

const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTDOWN'])

/** Sort what ssh2 or the socket threw into the reasons a user acts on differently. */
export function classifySshError(error: unknown): HostError {
  if (error instanceof HostError) return error
  const {code, level, message} = error as {code?: string; level?: string; message?: string}
  const text = message ?? String(error)
  if (code === 'ECONNREFUSED') return new HostError('refused', `connection refused (${text})`)
  if (code === 'ETIMEDOUT' || level === 'client-timeout') return new HostError('timeout', `timed out: ${text}`)
  if (level === 'client-authentication') return new HostError('auth', `authentication failed: ${text}`)
  if (code && UNREACHABLE.has(code)) return new HostError('unreachable', text)
  return new HostError('error', text)
}
