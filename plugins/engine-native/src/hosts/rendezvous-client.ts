import net from 'node:net'
import os from 'node:os'
import {type ControllerMessage, BEAT_INTERVAL_MS, launchRankFrom, readMessages, send} from './rendezvous-protocol.js'

export interface WorkerTask {
  hostIndex: number
  host: string
  task: unknown
}

/**
 * A host worker's side of the rendezvous: it connects to the controller, introduces itself, and then
 * meets the other hosts at barriers. The controller going away, or saying abort, aborts `signal`: a
 * worker never outlives its controller.
 */
export class RendezvousClient {
  private readonly controller = new AbortController()
  private readonly released = new Map<string, () => void>()
  private taskReceived?: (task: WorkerTask) => void
  private readonly beatTimer: NodeJS.Timeout
  private ended = false

  private constructor(private readonly socket: net.Socket) {
    readMessages<ControllerMessage>(socket, message => this.receive(message), () => this.stop('the controller sent something that is not the rendezvous protocol'))
    socket.on('close', () => this.stop('the controller closed the rendezvous'))
    socket.on('error', () => {})
    this.beatTimer = setInterval(() => send(socket, {type: 'beat'}), BEAT_INTERVAL_MS)
  }

  /** Connects to `address` (host:port) and says hello; rejects when the controller cannot be reached. */
  static async connect(address: string, token: string, env: NodeJS.ProcessEnv = process.env, timeoutMs = 60_000): Promise<RendezvousClient> {
    const separator = address.lastIndexOf(':')
    const host = address.slice(0, separator).replace(/^\[(.*)\]$/, '$1')
    const port = Number(address.slice(separator + 1))
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const attempt = net.connect({host, port}, () => {
        attempt.off('error', reject)
        attempt.setTimeout(0)
        resolve(attempt)
      })
      attempt.once('error', reject)
      // an address a firewall drops answers nothing: give up when the controller does
      attempt.setTimeout(timeoutMs, () => {
        attempt.destroy()
        reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`))
      })
    })
    socket.setNoDelay(true)
    const client = new RendezvousClient(socket)
    const sshServer = env.SSH_CONNECTION?.split(' ')[2]
    send(socket, {type: 'hello', token, launchRank: launchRankFrom(env) ?? 0, pid: process.pid, hostname: os.hostname(),
      ...(sshServer ? {sshServer} : {}), ...(env.SLURMD_NODENAME ? {slurmNode: env.SLURMD_NODENAME} : {})})
    return client
  }

  /** Aborted when the controller says abort or goes away. */
  get signal(): AbortSignal {
    return this.controller.signal
  }

  task(): Promise<WorkerTask> {
    return new Promise((resolve, reject) => {
      if (this.signal.aborted) reject(this.signal.reason)
      this.taskReceived = resolve
      this.signal.addEventListener('abort', () => reject(this.signal.reason), {once: true})
    })
  }

  /** Waits until every host reached the barrier `name`; a quiet one is not recorded (per-step barriers). */
  barrier(name: string, quiet = false): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.signal.aborted) return reject(this.signal.reason)
      // one barrier a step: its abort listener goes when it is released, or a long run piles up thousands
      const onAbort = () => reject(this.signal.reason)
      this.released.set(name, () => {
        this.signal.removeEventListener('abort', onAbort)
        resolve()
      })
      this.signal.addEventListener('abort', onAbort, {once: true})
      send(this.socket, {type: 'arrive', barrier: name, wallMs: Date.now(), ...(quiet ? {quiet} : {})})
    })
  }

  done(result: unknown): void {
    send(this.socket, {type: 'done', result})
  }

  /** Tells the controller how far this host's ranks are (the live view's line for this host). */
  progress(progress: unknown): void {
    send(this.socket, {type: 'progress', progress})
  }

  failed(message: string): void {
    send(this.socket, {type: 'failed', message})
  }

  /** Says this worker was signalled, and calls `then` once that is on its way (or after a moment). */
  signalled(signal: string, then: () => void): void {
    if (this.socket.destroyed || !this.socket.writable) return then()
    setTimeout(then, 200).unref()
    this.socket.end(`${JSON.stringify({type: 'signalled', signal})}\n`, then)
  }

  /** Resolves when the controller said goodbye (or went away); the worker may exit then. */
  finished(): Promise<void> {
    return new Promise(resolve => {
      if (this.ended) return resolve()
      this.socket.once('close', () => resolve())
    })
  }

  close(): void {
    clearInterval(this.beatTimer)
    this.socket.end()
  }

  private receive(message: ControllerMessage): void {
    switch (message.type) {
      case 'task':
        this.taskReceived?.({hostIndex: message.hostIndex, host: message.host, task: message.task})
        return
      case 'release':
        this.released.get(message.barrier)?.()
        this.released.delete(message.barrier)
        return
      case 'abort':
        // the connection stays open until this process ends: the controller waits for its close, so a stopped run returns only once its workers are gone
        this.stop(`the controller stopped the run: ${message.reason}`, {keepConnection: true})
        return
      case 'bye':
        this.ended = true
        this.close()
        return
      default:
    }
  }

  private stop(reason: string, {keepConnection = false} = {}): void {
    clearInterval(this.beatTimer)
    this.ended = true
    if (!this.controller.signal.aborted) this.controller.abort(new Error(reason))
    if (!keepConnection) this.socket.destroy()
  }
}
