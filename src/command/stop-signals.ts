import {ExitCode} from '../exit-codes.js'

export type StopSignal = 'SIGINT' | 'SIGTERM'
export type StopHandler = (signal: StopSignal) => void

/**
 * SIGINT/SIGTERM as mlps receives them. bin/run.js makes this object and listens before oclif
 * loads (1.5–3.7 s under load), so a signal in that window is kept, not fatal, and the command
 * that starts later records it; a command run in-process (tests) makes it on first use.
 */
interface StopSignals {
  /** signals that came while no handler was set */
  received: StopSignal[]
  handler?: StopHandler
  /** bin/run.js's process listener, there for the whole process */
  listener?: (signal: StopSignal) => void
  /** the process listener this module added for want of bin/run.js's, removed with the last handler */
  ownListener?: (signal: StopSignal) => void
}

const KEY = Symbol.for('mlps.stopSignals')

function stopSignals(): StopSignals {
  const global = globalThis as {[KEY]?: StopSignals}
  return global[KEY] ??= {received: []}
}

export function exitCodeOf(signal: StopSignal): ExitCode {
  return signal === 'SIGTERM' ? ExitCode.Terminated : ExitCode.Interrupted
}

/**
 * Make `handler` the receiver of SIGINT/SIGTERM until the returned release is called, which gives
 * them back to the handler before. Signals that came before any handler are handed over now.
 */
export function claimStopSignals(handler: StopHandler): () => void {
  const state = stopSignals()
  if (!state.listener && !state.ownListener) {
    const listener = (signal: StopSignal) => {
      if (state.handler) state.handler(signal)
      else state.received.push(signal)
    }
    state.ownListener = listener
    process.on('SIGINT', listener)
    process.on('SIGTERM', listener)
  }
  const previous = state.handler
  state.handler = handler
  for (const signal of state.received.splice(0)) handler(signal)
  return () => {
    if (state.handler !== handler) return
    state.handler = previous
    if (!previous && state.ownListener) {
      process.off('SIGINT', state.ownListener)
      process.off('SIGTERM', state.ownListener)
      state.ownListener = undefined
    }
  }
}

/** Whether code other than this module and bin/run.js listens for `signal` (a campaign, a command that runs several invocations): it then stops the work itself. */
export function othersListen(signal: StopSignal): boolean {
  const state = stopSignals()
  return process.listeners(signal).some(listener => listener !== state.listener && listener !== state.ownListener)
}

/**
 * For a command that is not mlps's own (help, plugins): the signals act as they would without
 * mlps listening, one that already came included.
 */
export function releaseStopSignals(): void {
  const state = stopSignals()
  for (const listener of [state.ownListener, state.listener]) {
    if (!listener) continue
    process.off('SIGINT', listener)
    process.off('SIGTERM', listener)
  }
  state.ownListener = undefined
  state.listener = undefined
  const first = state.received.shift()
  if (first && process.listenerCount(first) === 0) process.kill(process.pid, first)
}
