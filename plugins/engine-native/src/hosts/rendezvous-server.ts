import {randomBytes} from 'node:crypto'
import net from 'node:net'
import {type WorkerMessage, BEAT_INTERVAL_MS, readMessages, send} from './rendezvous-protocol.js'

/** One host's place in the run: its name as the user gave it, and the global ranks it runs. */
export interface HostSeat {
  host: string
  ranks: readonly number[]
}

/** What a worker said about itself when it arrived. */
export interface SeatedWorker {
  host: string
  pid: number
  hostname: string
  /** the sshd address it came in through (SSH_CONNECTION), when an SSH launch started it */
  sshServer?: string
  slurmNode?: string
}

/** When each host reached a barrier, and when the last one's arrival released them all (wall-clock ms). */
export interface BarrierRecord {
  name: string
  arrivedWallMs: number[]
  releasedWallMs: number
}

/** Where one host's worker is, as the live view shows it: its state and the last progress it sent. */
export interface HostReport {
  host: string
  ranks: readonly number[]
  state: 'starting' | 'running' | 'done' | 'failed'
  progress?: unknown
}

export class HostFailure extends Error {
  constructor(readonly host: string, message: string) {
    super(message)
  }
}

export interface RendezvousServerOptions {
  seats: readonly HostSeat[]
  /** the address to listen on (default every interface) */
  bindAddress?: string
  /** 0: any free port */
  port?: number
  /** a worker silent this long is taken for dead (its host down or its process stopped) */
  silenceTimeoutMs?: number
  /** called with every host's report whenever one of them sent progress or finished */
  onHostReports?: (reports: HostReport[]) => void
}

interface Seat extends HostSeat {
  index: number
  socket?: net.Socket
  worker?: SeatedWorker
  done: boolean
  result?: unknown
  lastHeardMs: number
  arrivedAt: Map<string, number>
  /** the worker said it was signalled: its end is news only if no other host's failure explains it */
  signalled?: string
  progress?: unknown
  failed?: boolean
}

const DEFAULT_SILENCE_TIMEOUT_MS = 15_000
/** how long a signalled worker's end waits for the failure that made the launcher signal it */
const SECONDARY_FAILURE_MS = 1500
/** how long close() waits for every worker to close its connection, which it does as it exits (a stopped worker is gone within 2 s) */
const WORKER_EXIT_MS = 5000

/**
 * The controller's side of the rendezvous: a TCP server that every host's worker connects to. It seats
 * each worker on its host, hands out tasks, releases a barrier once every host arrived at it, gathers
 * results, and turns a worker that fails, disconnects or falls silent into a failure naming its host,
 * aborting the others. Nothing of it outlives `close()`.
 */
export class RendezvousServer {
  readonly token = randomBytes(16).toString('hex')
  readonly barriers: BarrierRecord[] = []
  /** per-step barriers released (not recorded one by one) */
  quietBarriers = 0
  private readonly seats: Seat[]
  private readonly pending = new Set<net.Socket>()
  private failure?: HostFailure
  private aborted = false
  private readonly waiters: Array<() => void> = []
  private beatTimer?: NodeJS.Timeout
  private readonly onHostReports?: (reports: HostReport[]) => void

  private constructor(private readonly server: net.Server, options: RendezvousServerOptions) {
    this.onHostReports = options.onHostReports
    this.seats = options.seats.map((seat, index) => ({...seat, index, done: false, lastHeardMs: Date.now(), arrivedAt: new Map()}))
    const silenceMs = options.silenceTimeoutMs ?? DEFAULT_SILENCE_TIMEOUT_MS
    server.on('connection', socket => this.accept(socket))
    this.beatTimer = setInterval(() => {
      const now = Date.now()
      for (const seat of this.seats) {
        if (!seat.socket) continue
        send(seat.socket, {type: 'beat'})
        if (!seat.done && now - seat.lastHeardMs > silenceMs) this.fail(seat, `the worker on ${seat.host} has been silent for ${Math.round((now - seat.lastHeardMs) / 1000)} s (host down or process stopped)`)
      }
    }, BEAT_INTERVAL_MS)
    this.beatTimer.unref()
  }

  static async open(options: RendezvousServerOptions): Promise<RendezvousServer> {
    const server = net.createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, options.bindAddress, () => {
        server.off('error', reject)
        resolve()
      })
    })
    return new RendezvousServer(server, options)
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port
  }

  /** The hosts whose worker has not arrived yet. */
  missing(): string[] {
    return this.seats.filter(seat => !seat.worker).map(seat => seat.host)
  }

  workers(): SeatedWorker[] {
    return this.seats.map(seat => seat.worker).filter((worker): worker is SeatedWorker => worker !== undefined)
  }

  /** Every host's state and last progress, in seat order. */
  hostReports(): HostReport[] {
    return this.seats.map(seat => ({
      host: seat.host, ranks: seat.ranks, state: seat.failed ? 'failed' : seat.done ? 'done' : seat.progress === undefined ? 'starting' : 'running',
      ...(seat.progress === undefined ? {} : {progress: seat.progress}),
    }))
  }

  /** Resolves once every host's worker arrived; a failure or abort before that rejects. */
  async gathered(): Promise<void> {
    await this.until(() => this.missing().length === 0)
  }

  /** Sends each worker its task, once every one arrived. */
  start(taskFor: (seat: HostSeat, index: number) => unknown): void {
    for (const seat of this.seats) send(seat.socket!, {type: 'task', hostIndex: seat.index, host: seat.host, task: taskFor(seat, seat.index)})
  }

  /** Every host's result in seat order, once all are done; the first failure rejects. */
  async results(): Promise<unknown[]> {
    await this.until(() => this.seats.every(seat => seat.done))
    return this.seats.map(seat => seat.result)
  }

  /** Tells every worker to stop at once, and fails whatever waits. */
  abort(reason: string): void {
    if (this.aborted) return
    this.aborted = true
    for (const seat of this.seats) if (seat.socket) send(seat.socket, {type: 'abort', reason})
    this.wake()
  }

  /** Says goodbye to every worker and closes every connection and the listening socket. */
  async close(): Promise<void> {
    clearInterval(this.beatTimer)
    for (const seat of this.seats) {
      if (!seat.socket) continue
      if (seat.done && !this.failure && !this.aborted) {
        send(seat.socket, {type: 'bye'})
        seat.socket.end()
        seat.socket.destroySoon()
      } else {
        // a stopped worker's connection closes when its process has ended: left open from here, its close says the worker is gone
        send(seat.socket, {type: 'abort', reason: this.failure?.message ?? 'the run is over'})
      }
    }
    for (const socket of this.pending) socket.destroy()
    const closed = this.seats.map(seat => seat.socket).filter((socket): socket is net.Socket => socket !== undefined && !socket.closed)
      .map(socket => new Promise(resolve => socket.once('close', resolve)))
    await Promise.race([Promise.all(closed), new Promise(resolve => setTimeout(resolve, WORKER_EXIT_MS).unref())])
    // a worker that never read its goodbye, or did not end in time, must not keep the listener (which waits for every connection) nor the event loop alive
    for (const seat of this.seats) seat.socket?.destroy()
    await new Promise<void>(resolve => this.server.close(() => resolve()))
  }

  private until(condition: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.failure) reject(this.failure)
        else if (this.aborted) reject(new Error('the rendezvous was aborted'))
        else if (condition()) resolve()
        else this.waiters.push(check)
      }
      check()
    })
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter()
  }

  private fail(seat: Seat, message: string): void {
    if (this.failure || this.aborted) return
    seat.failed = true
    this.failure = new HostFailure(seat.host, message)
    for (const other of this.seats) if (other.socket) send(other.socket, {type: 'abort', reason: `${seat.host} failed`})
    this.wake()
  }

  private accept(socket: net.Socket): void {
    this.pending.add(socket)
    socket.setNoDelay(true)
    socket.on('error', () => {})
    let seat: Seat | undefined
    readMessages<WorkerMessage>(socket, message => {
      if (!seat) {
        seat = this.seat(socket, message)
        if (!seat) socket.destroy()
        return
      }
      seat.lastHeardMs = Date.now()
      this.receive(seat, message)
    }, () => socket.destroy())
    socket.on('close', () => {
      this.pending.delete(socket)
      if (!seat || seat.done) return
      const failed = seat
      if (!failed.signalled) {
        this.fail(failed, `the worker on ${failed.host} (ranks ${failed.ranks.join(', ')}) ended before its ranks finished: the process was killed or the host went down`)
        return
      }
      setTimeout(() => this.fail(failed, `the worker on ${failed.host} (ranks ${failed.ranks.join(', ')}) was stopped by ${failed.signalled} before its ranks finished`), SECONDARY_FAILURE_MS).unref()
    })
  }

  /** Seats a worker: by the Slurm node or host name when that names one seat, else by its launch rank. */
  private seat(socket: net.Socket, message: WorkerMessage): Seat | undefined {
    if (message.type !== 'hello' || message.token !== this.token) return undefined
    const free = this.seats.filter(seat => !seat.worker)
    const byName = free.filter(seat => seat.host === message.slurmNode || seat.host === message.sshServer)
    const seat = byName.length === 1 ? byName[0] : free.find(seat => seat.index === message.launchRank)
    if (!seat) return undefined
    this.pending.delete(socket)
    seat.socket = socket
    seat.lastHeardMs = Date.now()
    seat.worker = {host: seat.host, pid: message.pid, hostname: message.hostname, ...(message.sshServer ? {sshServer: message.sshServer} : {}), ...(message.slurmNode ? {slurmNode: message.slurmNode} : {})}
    this.wake()
    return seat
  }

  private receive(seat: Seat, message: WorkerMessage): void {
    switch (message.type) {
      case 'arrive': {
        seat.arrivedAt.set(message.barrier, message.wallMs)
        if (this.seats.every(s => s.arrivedAt.has(message.barrier))) {
          if (message.quiet) this.quietBarriers++
          else this.barriers.push({name: message.barrier, arrivedWallMs: this.seats.map(s => s.arrivedAt.get(message.barrier)!), releasedWallMs: Date.now()})
          for (const s of this.seats) {
            s.arrivedAt.delete(message.barrier)
            send(s.socket!, {type: 'release', barrier: message.barrier})
          }
        }
        return
      }
      case 'done':
        seat.done = true
        seat.result = message.result
        this.onHostReports?.(this.hostReports())
        this.wake()
        return
      case 'progress':
        seat.progress = message.progress
        this.onHostReports?.(this.hostReports())
        return
      case 'failed':
        this.fail(seat, `the worker on ${seat.host} failed: ${message.message}`)
        return
      case 'signalled':
        seat.signalled = message.signal
        return
      default:
    }
  }
}
