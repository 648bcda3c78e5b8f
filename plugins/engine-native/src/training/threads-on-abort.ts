import {abortErrorFrom} from '../io/abort.js'
import type {RunControl} from './run-control.js'
import type {ThreadGroup} from './thread-group.js'

/**
 * Ties a run's threads to its signal: an abort (also one that came while the run was getting ready)
 * raises the control's abort flag, which the threads see within a wait slice, and fails the group with
 * the signal's reason. The function returned unhooks the signal and stops the threads, however the run ended;
 * `beforeTerminate` runs once the threads are told to stop and before they are ended (a thread writing to a
 * bucket aborts its multipart uploads then).
 */
export function stopThreadsOnAbort<Message extends {type: string}>(control: RunControl, threads: ThreadGroup<Message>, signal: AbortSignal | undefined, run: string): (beforeTerminate?: () => Promise<void>) => Promise<void> {
  const onAbort = () => {
    control.abort()
    threads.fail(abortErrorFrom(signal as AbortSignal, run))
  }
  signal?.addEventListener('abort', onAbort, {once: true})
  if (signal?.aborted) onAbort()
  return async beforeTerminate => {
    signal?.removeEventListener('abort', onAbort)
    control.abort()
    await beforeTerminate?.()
    await threads.terminate()
  }
}
