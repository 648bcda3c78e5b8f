import {rmSync} from 'node:fs'
import {LaunchLab} from './launch-lab.js'
import {labObstacles} from './lab-requirements.js'

// Between two test files that use it the lab is kept a moment, so the suite starts it once.
const LINGER_MS = 5000

let starting: Promise<LaunchLab> | undefined
let users = 0
let stopTimer: NodeJS.Timeout | undefined
let skipSaid = false

function acquire(): Promise<LaunchLab> {
  users++
  clearTimeout(stopTimer)
  if (!starting) {
    starting = LaunchLab.start()
    starting.then(lab => process.once('exit', () => stopNow(lab)), () => { starting = undefined })
  }
  return starting
}

function release(): void {
  users--
  if (users > 0 || !starting) return
  const lab = starting
  stopTimer = setTimeout(() => {
    starting = undefined
    void lab.then(running => running.stop())
  }, LINGER_MS)
  stopTimer.unref()
}

/** The test process ends with the lab up (a lingering stop not yet due): stop it by pid, synchronously. */
function stopNow(lab: LaunchLab): void {
  for (const pid of lab.pids()) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
  rmSync(lab.dir, {recursive: true, force: true})
}

/**
 * The launch lab for the tests of one `describe`: started by the first user, shared, stopped by pid after
 * the last. Without root or the packages the tests are skipped with one line saying how to enable them;
 * under CI=true that is a failure, since CI installs everything.
 */
export function useLaunchLab(): () => LaunchLab {
  let lab: LaunchLab | undefined
  before(async function () {
    this.timeout(120_000)
    const obstacles = labObstacles()
    if (obstacles.length > 0) {
      if (process.env.CI === 'true') throw new Error(`the launch lab cannot start under CI: ${obstacles.join('; ')}`)
      if (!skipSaid) console.log(`      launch lab tests skipped: ${obstacles.join('; ')}; run them as root with the packages installed (.ci/run installs them)`)
      skipSaid = true
      this.skip()
    }
    try {
      lab = await acquire()
    } catch (error) {
      users--
      throw error
    }
  })
  after(() => {
    if (lab) release()
    lab = undefined
  })
  return () => {
    if (!lab) throw new Error('the launch lab is not running')
    return lab
  }
}
