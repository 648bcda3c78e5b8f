import {type ChildProcess, spawn} from 'node:child_process'
import {RUN_ID_VARIABLE} from './launcher.js'

/**
 * The guardian's program, run with `node -e` so it needs no file beside the bundle. It reads
 * `{"watch": pgid, runId, graceMs}` / `{"unwatch": pgid}` JSON lines from its stdin, a pipe only mlps
 * holds. The kernel closes that pipe however mlps ends, SIGKILL and the OOM killer included
 * (Node cannot set PR_SET_PDEATHSIG); at end-of-file every launch still watched is stopped as
 * mlps would stop it: SIGTERM to the launcher's process group and to every local process marked
 * with the run's MLPS_RUN_ID (Open MPI puts each rank in its own group, and a launcher that
 * lost its parent may already be gone, orphaning them), then SIGKILL to whatever is left when
 * the launch's grace period ends.
 */
const GUARDIAN_PROGRAM = String.raw`
const fs = require('node:fs')
const watched = new Map()
let pending = ''
const ofRun = runId => {
  const marker = Buffer.from('${RUN_ID_VARIABLE}=' + runId + '\0')
  const pids = []
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    try { if (fs.readFileSync('/proc/' + entry + '/environ').includes(marker)) pids.push(Number(entry)) } catch {}
  }
  return pids
}
const groupAlive = pgid => { try { process.kill(-pgid, 0); return true } catch (error) { return error.code === 'EPERM' } }
const signal = (launch, name) => {
  try { process.kill(-launch.pgid, name) } catch {}
  for (const pid of ofRun(launch.runId)) try { process.kill(pid, name) } catch {}
}
const left = launches => launches.filter(launch => groupAlive(launch.pgid) || ofRun(launch.runId).length > 0)
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))
async function stopAll() {
  let launches = [...watched.values()]
  for (const launch of launches) signal(launch, 'SIGTERM')
  const deadline = Date.now() + Math.max(0, ...launches.map(launch => launch.graceMs))
  while ((launches = left(launches)).length > 0 && Date.now() < deadline) await sleep(100)
  const killDeadline = Date.now() + 5000
  while ((launches = left(launches)).length > 0 && Date.now() < killDeadline) {
    for (const launch of launches) signal(launch, 'SIGKILL')
    await sleep(100)
  }
  process.exit(0)
}
process.stdin.on('data', chunk => {
  const lines = (pending + chunk).split('\n')
  pending = lines.pop()
  for (const line of lines) {
    const message = JSON.parse(line)
    if (message.watch) watched.set(message.watch, {pgid: message.watch, runId: message.runId, graceMs: message.graceMs})
    else watched.delete(message.unwatch)
  }
})
process.stdin.on('end', () => void stopAll())
process.stdin.on('error', () => void stopAll())
`

let guardian: ChildProcess | undefined

function startedGuardian(): ChildProcess {
  if (guardian && guardian.exitCode === null && guardian.signalCode === null) return guardian
  const {[RUN_ID_VARIABLE]: _ownRun, ...env} = process.env
  // its own session: a Ctrl-C to mlps's terminal, or a kill of mlps's process group, does not reach it
  const child = spawn(process.execPath, ['-e', GUARDIAN_PROGRAM], {detached: true, stdio: ['pipe', 'ignore', 'ignore'], env})
  child.on('error', () => {})
  child.stdin?.on('error', () => {})
  // mlps ends when its work does: the guardian then reads end-of-file with nothing to stop
  child.unref()
  ;(child.stdin as unknown as {unref?(): void} | null)?.unref?.()
  guardian = child
  return child
}

/**
 * Have the guardian stop a launch (its process group `pgid`, every process marked with `runId`)
 * if mlps dies before `releaseLaunch`: a SIGKILLed mlps must not leave mpirun and its ranks running.
 */
export function guardLaunch(pgid: number, runId: string, graceMs: number): void {
  startedGuardian().stdin?.write(JSON.stringify({watch: pgid, runId, graceMs}) + '\n')
}

/** The launch ended and mlps took care of its processes: the guardian forgets it. */
export function releaseLaunch(pgid: number): void {
  if (guardian?.stdin?.writable) guardian.stdin.write(JSON.stringify({unwatch: pgid}) + '\n')
}
