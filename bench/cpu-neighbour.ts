import {spawn} from 'node:child_process'
import {setTimeout as sleep} from 'node:timers/promises'

/**
 * Runs `measure` while a CPU-bound neighbour process spins on one core, as
 * another tenant of a client node would; the neighbour is ended by its pid
 * afterwards, whatever happens.
 */
export async function withCpuNeighbour<T>(measure: () => Promise<T> | T): Promise<T> {
  const neighbour = spawn(process.execPath, ['-e', 'for (;;) {}'], {stdio: 'ignore'})
  try {
    // let it reach its loop before the measurement starts
    await sleep(300)
    return await measure()
  } finally {
    neighbour.kill('SIGKILL')
  }
}
