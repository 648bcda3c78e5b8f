import type {Socket} from 'node:net'

/**
 * What the controller and the host workers say to each other over the rendezvous: one JSON object per
 * line. A worker introduces itself, receives its task, meets the others at named barriers, and hands
 * back its ranks' results; the controller releases barriers and may abort everyone.
 */
export type WorkerMessage =
  | {type: 'hello'; token: string; launchRank: number; pid: number; hostname: string; sshServer?: string; slurmNode?: string}
  /** `quiet`: a per-step barrier, released like any other but not kept in the run's record of barriers */
  | {type: 'arrive'; barrier: string; wallMs: number; quiet?: boolean}
  | {type: 'done'; result: unknown}
  | {type: 'failed'; message: string}
  /** how far this host's ranks are, in the task's own terms (training, checkpointing and KV cache each say theirs) */
  | {type: 'progress'; progress: unknown}
  /** the launcher (or a user) signalled this worker: it goes because the run is being stopped, which another host's failure may explain */
  | {type: 'signalled'; signal: string}
  | {type: 'beat'}

export type ControllerMessage =
  | {type: 'task'; hostIndex: number; host: string; task: unknown}
  | {type: 'release'; barrier: string}
  | {type: 'abort'; reason: string}
  | {type: 'bye'}
  | {type: 'beat'}

/** Both sides say something at least this often, so a host that died without closing its connection is noticed. */
export const BEAT_INTERVAL_MS = 1000

/** Where the workers find the controller, passed to them through the launch's environment. */
export const RENDEZVOUS_VARIABLE = 'MLPS_NATIVE_RENDEZVOUS'
/** Pairs a worker with its run; named so the launcher's record masks it. */
export const TOKEN_VARIABLE = 'MLPS_NATIVE_RENDEZVOUS_TOKEN'
/** How long a worker tries to reach the controller (ms): the controller gives up on it then too. */
export const CONNECT_TIMEOUT_VARIABLE = 'MLPS_NATIVE_CONNECT_TIMEOUT_MS'
/** The launch rank of a worker started over plain SSH (MPI and Slurm set their own). */
export const HOST_INDEX_VARIABLE = 'MLPS_NATIVE_HOST_INDEX'

/** The launch rank the launcher gave this process: Open MPI, MPICH/Hydra (PMI), Slurm, or mlps's own SSH launch. */
export function launchRankFrom(env: NodeJS.ProcessEnv): number | undefined {
  for (const name of ['OMPI_COMM_WORLD_RANK', 'PMI_RANK', 'PMIX_RANK', 'SLURM_PROCID', HOST_INDEX_VARIABLE]) {
    const value = env[name]
    if (value !== undefined && /^\d+$/.test(value)) return Number(value)
  }
  return undefined
}

/** Sends one message; a socket already gone is no error (its close is reported where it matters). */
export function send(socket: Socket, message: WorkerMessage | ControllerMessage): void {
  if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(message)}\n`)
}

/** Calls `onMessage` with each whole line received as parsed JSON; a line that is not JSON is `onGarbage`'s. */
export function readMessages<M>(socket: Socket, onMessage: (message: M) => void, onGarbage: (line: string) => void): void {
  let partial = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) {
      if (!line.trim()) continue
      let message: M
      try {
        message = JSON.parse(line) as M
      } catch {
        onGarbage(line)
        continue
      }
      onMessage(message)
    }
  })
}
