import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as delay} from 'node:timers/promises'
import type {HeadlineOutput} from '../../src/command/headline-output.js'
import type {ProgressEvent} from '../../src/ux/progress-events.js'
import {isolatedEnv, mlpsBin, runCli, startCli, tempDir as makeTempDir} from '../helpers/cli.js'

/** the suite's datasets and results: removed when it ends, /tmp is shared */
const made: string[] = []
function tempDir(prefix?: string): string {
  const dir = makeTempDir(prefix)
  made.push(dir)
  return dir
}


/** unet3d scaled down to 6 steps an epoch of ~0.1 s compute each: epochs of about a second, many of them */
const SMALL = ['--param', 'dataset.num_files_train=84', '--param', 'dataset.record_length_bytes=262144', '--param', 'dataset.record_length_bytes_stdev=65536']
const LONG_RUN = ['-g', 'h100', '-n', '2', '--param', 'train.epochs=30', '--param', 'train.computation_time=0.15']

type ProgressOf = Extract<ProgressEvent, {event: 'progress'}>
const figure = (event: ProgressOf, unit: string) => event.figures.find(f => f.unit === unit)?.value

async function generated(dir: string): Promise<string[]> {
  const common = ['--model', 'unet3d', '--data-dir', join(dir, 'data'), '--results-dir', join(dir, 'results'), ...SMALL]
  const datagen = await runCli(['training', 'datagen', ...common, '-n', '2'])
  assert.equal(datagen.exitCode, 0, datagen.stderr)
  return common
}

function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'])
    return true
  } catch {
    return false
  }
}

describe('the live view of a run (built CLI, native training)', function () {
  this.timeout(180_000)
  after(() => { for (const dir of made.splice(0)) rmSync(dir, {recursive: true, force: true}) })

  it('--json: NDJSON progress events on stderr, figures cumulative across epochs, the final JSON on stdout with what a stopped run measured', async () => {
    const common = await generated(tempDir())
    const child = startCli(['training', 'run', ...common, ...LONG_RUN, '--json'])
    const events: ProgressEvent[] = []
    let buffered = ''
    child.stderr!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) events.push(JSON.parse(line) as ProgressEvent)
    })
    const progressed = () => events.filter((e): e is ProgressOf => e.event === 'progress' && e.stage.startsWith('Training'))
    for (let i = 0; i < 600 && !progressed().some(e => e.fields.epoch?.startsWith('3/')); i++) await delay(100)
    child.kill('SIGINT')
    const finished = await child
    assert.equal(finished.exitCode, 130)

    assert.ok(events.some(e => e.event === 'stage' && e.stage.startsWith('Training')), 'a stage event names the training')
    const training = progressed()
    assert.ok(training.length >= 3, `progress events: ${training.length}`)
    for (const event of training) {
      assert.equal(typeof event.done, 'number')
      assert.equal(event.total, 30 * 6)
      assert.equal(event.unit, 'items')
      assert.match(event.time, /^\d{4}-\d\d-\d\dT/)
    }
    // after the first epoch, every event carries samples/s, MiB/s (= samples/s × the record length) and AU so far
    const later = training.filter(e => !e.fields.epoch.startsWith('1/'))
    assert.ok(later.length >= 2)
    for (const event of later) {
      const samples = figure(event, 'samples/s')!
      assert.ok(samples > 0, `samples/s ${samples} at epoch ${event.fields.epoch}`)
      assert.ok(Math.abs(figure(event, 'MiB/s')! - samples * 262144 / 2 ** 20) < 1e-9)
      assert.ok(figure(event, '%')! > 0)
      assert.ok(event.etaSeconds! > 0)
    }
    // cumulative: the first event of an epoch does not start again near 0
    const firstOfEpoch3 = training.find(e => e.fields.epoch.startsWith('3/'))
    const lastOfEpoch2 = training.filter(e => e.fields.epoch.startsWith('2/')).at(-1)
    if (firstOfEpoch3 && lastOfEpoch2) assert.ok(figure(firstOfEpoch3, 'samples/s')! > 0.5 * figure(lastOfEpoch2, 'samples/s')!, 'samples/s is not reset at the epoch start')

    const output = JSON.parse(String(finished.stdout)) as {status: string; headline: HeadlineOutput}
    assert.equal(output.status, 'INTERRUPTED')
    const soFar = output.headline.measuredSoFar
    assert.ok(soFar, 'a stopped run says what it measured so far')
    assert.ok(soFar.update.figures!.some(f => f.unit === 'samples/s' && f.value > 0))
  })

  it('on a terminal (tmux): MiB/s and samples/s so far, not 0.0 after the first epoch; stopped, it prints what it measured, not the findings', async function () {
    if (!hasTmux()) {
      if (process.env.CI) assert.fail('tmux is not installed (apt-get install -y tmux)')
      this.skip()
    }
    const dir = tempDir()
    const common = await generated(dir)
    const env: NodeJS.ProcessEnv = {...isolatedEnv(), TERM: 'xterm-256color'}
    delete env.CI
    const script = join(dir, 'run.sh')
    const exports = Object.entries(env).filter(([key]) => /^[A-Za-z_]\w*$/.test(key)).map(([key, value]) => `export ${key}='${String(value).replaceAll("'", "'\\''")}'`)
    // the tmux server hands its sessions the environment of the process that started it: CI=true would make the view plain
    writeFileSync(script, ['unset CI', ...exports, `exec '${process.execPath}' '${mlpsBin}' training run ${[...common, ...LONG_RUN].map(a => `'${a}'`).join(' ')}`].join('\n') + '\n')
    const socket = `mlps-live-${process.pid}`
    const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'})
    tmux('new-session', '-d', '-s', 'run', '-x', '220', '-y', '40', `bash ${script}; echo "exit $?"; sleep 120`)
    try {
      let screen = ''
      for (let i = 0; i < 600; i++) {
        screen = tmux('capture-pane', '-p', '-t', 'run')
        if (/epoch 3\/30/.test(screen)) break
        await delay(100)
      }
      const status = screen.split('\n').find(line => /epoch 3\/30/.test(line))
      assert.ok(status, `the status line reached epoch 3:\n${screen}`)
      assert.match(status, /\d+(\.\d+)? MiB\/s/)
      const samples = Number(/([\d.]+) samples\/s/.exec(status)?.[1])
      assert.ok(samples > 0, `samples/s so far after the first epoch: ${status}`)
      assert.match(status, /AU [\d.]+ %/)
      assert.match(status, /ETA \d+:\d\d/)
      assert.match(status, /\[=+>? *\]/, 'a bar is drawn on a terminal')
      // the line is redrawn in place: one status line on the screen, not one per update
      assert.equal(screen.split('\n').filter(line => line.startsWith('Training unet3d on 2 emulated h100 accelerators  [')).length, 1, screen)

      tmux('send-keys', '-t', 'run', 'C-c')
      for (let i = 0; i < 100 && !/^exit \d+/m.test(screen); i++) {
        await delay(100)
        screen = tmux('capture-pane', '-p', '-t', 'run', '-S', '-40')
      }
      assert.match(screen, /^exit 130$/m, screen)
      assert.match(screen, /^training run unet3d: INTERRUPTED/m)
      assert.match(screen, /^ {2}measured so far \(Training unet3d .*\): \d+\/180 {2}[\d.]+ samples\/s {2}[\d.]+ MiB\/s {2}AU [\d.]+ % {2}epoch \d+\/30$/m, screen)
      assert.ok(!/^ {2}(warn|error) \[/m.test(screen), 'no list of findings')
    } finally {
      tmux('kill-server')
    }
  })
})
