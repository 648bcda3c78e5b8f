// Open a report.html in headless Chromium, collect its console errors and
// uncaught exceptions, and optionally save a screenshot. Talks the DevTools
// protocol over --remote-debugging-pipe (fd 3 in, fd 4 out, NUL-separated
// JSON), so it needs nothing but Debian's `chromium` package.
//
//   npm run report:screenshot                     (v1.0 fixture → docs/images/report.png)
//   node scripts/report-screenshot.mjs <report.html> <out.png>
import {spawn, spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

export const CHROMIUM = process.env.MLPS_CHROMIUM ?? 'chromium'

/**
 * Load `file` and resolve with {errors, screenshot?}: every console.error,
 * uncaught exception and error-level browser log entry (failed loads).
 */
export async function openInChromium(file, {screenshot = false, width = 1280, height = 900, timeoutMs = 60_000} = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'mlps-chromium-'))
  const browser = spawn(CHROMIUM, [
    '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--remote-debugging-pipe',
    `--user-data-dir=${profile}`, `--window-size=${width},${height}`, 'about:blank',
  ], {stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe']})
  const stderr = []
  browser.stderr.on('data', chunk => stderr.push(chunk))
  const toBrowser = browser.stdio[3]
  const fromBrowser = browser.stdio[4]
  let nextId = 1
  const pending = new Map()
  const listeners = []
  let buffer = ''
  fromBrowser.on('data', chunk => {
    buffer += chunk.toString('utf8')
    let end
    while ((end = buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffer.slice(0, end))
      buffer = buffer.slice(end + 1)
      if (message.id && pending.has(message.id)) {
        const {resolve: done, reject} = pending.get(message.id)
        pending.delete(message.id)
        if (message.error) reject(new Error(`${message.error.message} (${message.error.code})`))
        else done(message.result)
      } else {
        for (const listener of listeners) listener(message)
      }
    }
  })
  const send = (method, params = {}, sessionId) => new Promise((done, reject) => {
    const id = nextId++
    pending.set(id, {resolve: done, reject})
    toBrowser.write(JSON.stringify({id, method, params, ...(sessionId ? {sessionId} : {})}) + '\0')
  })
  const gone = new Promise(done => browser.once('exit', done))
  const exited = gone.then(code => {
    throw new Error(`chromium exited (${code}): ${Buffer.concat(stderr).toString().slice(-2000)}`)
  })
  exited.catch(() => {})
  const timer = setTimeout(() => browser.kill('SIGKILL'), timeoutMs)
  try {
    const work = (async () => {
      const {targetId} = await send('Target.createTarget', {url: 'about:blank'})
      const {sessionId} = await send('Target.attachToTarget', {targetId, flatten: true})
      const errors = []
      const loaded = new Promise(done => listeners.push(message => {
        if (message.sessionId !== sessionId) return
        if (message.method === 'Page.loadEventFired') done()
        if (message.method === 'Runtime.consoleAPICalled' && ['error', 'assert'].includes(message.params.type)) {
          errors.push(`console.${message.params.type}: ${message.params.args.map(arg => arg.value ?? arg.description).join(' ')}`)
        }
        if (message.method === 'Runtime.exceptionThrown') errors.push(`exception: ${message.params.exceptionDetails.exception?.description ?? message.params.exceptionDetails.text}`)
        if (message.method === 'Log.entryAdded' && message.params.entry.level === 'error') errors.push(`log: ${message.params.entry.text} ${message.params.entry.url ?? ''}`.trim())
      }))
      for (const domain of ['Page', 'Runtime', 'Log']) await send(`${domain}.enable`, {}, sessionId)
      await send('Emulation.setDeviceMetricsOverride', {width, height, deviceScaleFactor: 1, mobile: false}, sessionId)
      await send('Page.navigate', {url: pathToFileURL(resolve(file)).href}, sessionId)
      await loaded
      // late errors (a lazily failing resource) get a moment to arrive
      await new Promise(done => setTimeout(done, 300))
      const shot = screenshot ? Buffer.from((await send('Page.captureScreenshot', {format: 'png', captureBeyondViewport: false}, sessionId)).data, 'base64') : undefined
      await send('Browser.close').catch(() => {})
      return {errors, screenshot: shot}
    })()
    return await Promise.race([work, exited])
  } finally {
    clearTimeout(timer)
    if (browser.exitCode === null && browser.signalCode === null) browser.kill('SIGKILL')
    await gone
    rmSync(profile, {recursive: true, force: true, maxRetries: 3})
  }
}

async function main() {
  const root = fileURLToPath(new URL('..', import.meta.url))
  let [report, out] = process.argv.slice(2)
  let outputDir
  if (!report) {
    // the docs screenshot: the real v1.0 results through the 1.0 edition
    outputDir = mkdtempSync(join(tmpdir(), 'mlps-report-'))
    const result = spawnSync(process.execPath, [join(root, 'bin', 'run.js'), 'reports', 'reportgen', '--results-dir', join(root, 'fixtures', 'storage_results_v1.0'),
      '--edition', '1.0', '--output-dir', outputDir], {stdio: 'inherit'})
    if (result.status !== 0) process.exit(result.status ?? 1)
    report = join(outputDir, 'report.html')
  }
  out ??= join(root, 'docs', 'images', 'report.png')
  const {errors, screenshot} = await openInChromium(report, {screenshot: true})
  mkdirSync(dirname(out), {recursive: true})
  writeFileSync(out, screenshot)
  if (outputDir) rmSync(outputDir, {recursive: true, force: true})
  console.error(`wrote ${out}${errors.length ? `\n${errors.length} console error(s):\n  ${errors.join('\n  ')}` : ' (no console errors)'}`)
  process.exitCode = errors.length > 0 ? 1 : 0
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main()
