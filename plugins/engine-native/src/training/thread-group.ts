import type {Worker} from 'node:worker_threads'

import {reviveThreadError} from '../io/thread-error.js'

/**
 * The coordinator's view of its worker threads: wait for one message of a
 * kind from each, and fail fast — the first thread error, unexpected exit or
 * abort rejects every pending and later wait.
 */
export class ThreadGroup<Message extends {type: string}> {
  private readonly inboxes: Message[][]
  private readonly waiters: (() => void)[] = []
  private failure: Error | undefined
  private closing = false

  constructor(readonly workers: readonly Worker[], describe: (index: number) => string) {
    this.inboxes = workers.map(() => [])
    workers.forEach((worker, index) => {
      worker.on('message', (message: Message) => {
        this.inboxes[index].push(message)
        this.wake()
      })
      worker.on('error', error => this.fail(reviveThreadError(error)))
      worker.on('exit', code => {
        if (!this.closing) this.fail(new Error(`${describe(index)} exited unexpectedly with code ${code}`))
      })
    })
  }

  fail(error: Error): void {
    this.failure ??= error
    this.wake()
  }

  get failed(): Error | undefined {
    return this.failure
  }

  /** One message of `type` from each of the workers at `indices` (all by default), in that order. */
  async collect<T extends Message['type']>(type: T, indices: readonly number[] = this.workers.map((_, i) => i)): Promise<Extract<Message, {type: T}>[]> {
    const inboxes = indices.map(i => this.inboxes[i])
    for (;;) {
      if (this.failure) throw this.failure
      if (inboxes.every(inbox => inbox.some(message => message.type === type))) {
        return inboxes.map(inbox => inbox.splice(inbox.findIndex(message => message.type === type), 1)[0] as Extract<Message, {type: T}>)
      }
      await new Promise<void>(resolve => this.waiters.push(resolve))
    }
  }

  async terminate(): Promise<void> {
    this.closing = true
    await Promise.all(this.workers.map(worker => worker.terminate()))
  }

  private wake(): void {
    for (const resolve of this.waiters.splice(0)) resolve()
  }
}
