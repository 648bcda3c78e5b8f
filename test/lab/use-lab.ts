import {rmSync} from 'node:fs'
import {LaunchLab} from './launch-lab.js'
import {labObstacles} from './lab-requirements.js'

// One lab for the whole test process: started by the first file that uses it, stopped after the last test of
// the run (test/lab/* and test/signals/sigkill-lab.test.ts sit far apart in mocha's order; stopping it between
// them cost a start and a stop, ~10 s on a loaded machine)
let starting: Promise<LaunchLab> | undefined
/** the lab while it is up, for the exit handler */
let up: LaunchLab | undefined
let skipSaid = false

function acquire(): Promise<LaunchLab> {
  if (!starting) {
    starting = LaunchLab.start()
    starting.then(lab => { up = lab }, () => { starting = undefined })
  }
  return starting
}

// evaluated while mocha loads the test files, so this is a hook of the root suite: it runs once, after every file
after(async function () {
  this.timeout(60_000)
  const lab = up
  starting = undefined
  up = undefined
  await lab?.stop()
})

process.once('exit', () => {
  if (up) stopNow(up)
})

/** The test process ends with the lab up (the run was cut short before the root hook): stop it by pid, synchronously. */
function stopNow(lab: LaunchLab): void {
  for (const pid of lab.pids()) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
  rmSync(lab.dir, {recursive: true, force: true})
}

/**
 * The launch lab for the tests of one `describe`: started by the first user, shared by every later one,
 * stopped at the end of the run. Without root or the packages the tests are skipped with one line saying how to enable them;
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
    lab = await acquire()
  })
  after(() => {
    lab = undefined
  })
  return () => {
    if (!lab) throw new Error('the launch lab is not running')
    return lab
  }
}
