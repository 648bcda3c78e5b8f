import type {MessagePort, Worker} from 'node:worker_threads'

import {UploadLeftOpenError} from './object-upload.js'

/**
 * How a coordinator stops threads that upload objects: terminating one at once would leave its
 * multipart uploads open on the server (its parts stored and billed until someone aborts them).
 * So it is first asked to stop: it cancels its requests, lets the work in hand fail (which aborts its
 * uploads) and says so; only then, or after a bound, is it terminated.
 */
export type StopMessage = {type: 'stop'}
/** `problems`: the uploads that could not be aborted, each naming the upload and how to remove it */
export type StoppedMessage = {type: 'stopped'; problems: string[]}

/**
 * How long a thread has to abort its uploads: an abort is a small request, but the server may be busy
 * with every part that was on the wire (under load that took seconds). A host worker, stopped,
 * gives its threads this long and a little more before it kills itself (hosts/host-worker-main.ts).
 */
export const UPLOAD_STOP_MS = 10_000

/**
 * Asks every thread still running to stop, and waits for each to say it has (or to exit) within
 * UPLOAD_STOP_MS. Returns their problems: the uploads they could not abort, and a thread that did
 * not answer in time, whose uploads under `uri` may be left open.
 */
export async function stopUploadingThreads(workers: readonly Worker[], uri: string): Promise<string[]> {
  const problems: string[] = []
  // a thread that has exited has threadId -1, and no answer or exit event to come
  await Promise.all(workers.filter(worker => worker.threadId >= 0).map(worker => new Promise<void>(resolve => {
    const done = () => {
      clearTimeout(timer)
      worker.off('message', onMessage)
      worker.off('exit', done)
      resolve()
    }
    const onMessage = (message: {type?: string}) => {
      if (message.type !== 'stopped') return
      problems.push(...(message as StoppedMessage).problems)
      done()
    }
    const timer = setTimeout(() => {
      problems.push(`a thread writing to ${uri} did not confirm within ${UPLOAD_STOP_MS / 1000} s that its multipart uploads were aborted: some may be left open ` +
        `(list them with \`s3cmd multipart s3://${uri.slice('s3://'.length).split('/')[0]}\`, abort them with \`s3cmd abortmp\`)`)
      done()
    }, UPLOAD_STOP_MS)
    worker.on('message', onMessage)
    worker.once('exit', done)
    worker.postMessage({type: 'stop'} satisfies StopMessage)
  })))
  return problems
}

/**
 * A thread's side: `signal` cancels its store's requests once the coordinator asks it to stop;
 * `track` follows the work in hand, whose uploads are aborted as it fails; the answer goes when that
 * work has settled. Uploads that could not be aborted are collected for the answer.
 */
export class UploadStop {
  private readonly cancel = new AbortController()
  private working: Promise<unknown> = Promise.resolve()
  private readonly problems: string[] = []

  constructor(private readonly port: MessagePort) {}

  get signal(): AbortSignal {
    return this.cancel.signal
  }

  get stopping(): boolean {
    return this.cancel.signal.aborted
  }

  /** Handles the coordinator's stop; true when `message` was one. */
  handle(message: {type?: string}): boolean {
    if (message.type !== 'stop') return false
    this.cancel.abort()
    void this.working.finally(() => this.port.postMessage({type: 'stopped', problems: this.problems} satisfies StoppedMessage))
    return true
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.working = work.catch(() => undefined)
    return work
  }

  /** Keeps an upload left open for the answer; true when `error` was one. */
  noteLeftOpen(error: unknown): boolean {
    if (!(error instanceof UploadLeftOpenError)) return false
    this.problems.push(error.message)
    return true
  }
}
