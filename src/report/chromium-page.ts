import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {pathToFileURL} from 'node:url'

// Open a page in headless Chromium (Debian's `chromium`) and report what it logged, for the
// report.html test and the docs screenshot. Talks the DevTools protocol over
// --remote-debugging-pipe (fd 3 in, fd 4 out, NUL-separated JSON), so it needs nothing but the
// browser. Every wait has a deadline, and a failure says which step hung, for how long, and what
// the browser printed — under heavy load a bare "timeout" is worthless.

export interface ChromiumPageResult {
  /** console.error/assert calls, uncaught exceptions and error-level log entries (failed loads) */
  errors: string[]
  /** every console call and log entry, for diagnostics */
  console: string[]
  screenshot?: Buffer
  /** what `evaluate` returned, by value */
  evaluated?: unknown
}

export interface ChromiumPageOptions {
  screenshot?: boolean
  width?: number
  height?: number
  /** the whole visit, start to close; generous, because a loaded 2-core machine starts Chromium slowly */
  timeoutMs?: number
  /** the browser binary (MLPS_CHROMIUM, else chromium) */
  chromium?: string
  /** a JavaScript expression evaluated in the loaded page (layout measurements), its value returned */
  evaluate?: string
  /** a CSS selector scrolled to the top of the window before the screenshot */
  scrollTo?: string
}

// CDP messages are untyped JSON; each caller reads the fields of the method it sent
/* eslint-disable @typescript-eslint/no-explicit-any */
interface Message {
  id?: number
  method?: string
  sessionId?: string
  params?: any
  result?: any
  error?: {message: string; code: number}
}

const STDERR_TAIL = 4000

export async function openInChromium(file: string, options: ChromiumPageOptions = {}): Promise<ChromiumPageResult> {
  const {screenshot = false, width = 1280, height = 900, timeoutMs = 150_000} = options
  const binary = options.chromium ?? process.env.MLPS_CHROMIUM ?? 'chromium'
  const url = pathToFileURL(resolve(file)).href
  const profile = mkdtempSync(join(tmpdir(), 'mlps-chromium-'))
  const started = Date.now()
  const browser = spawn(binary, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-extensions', '--no-first-run',
    '--no-default-browser-check', '--mute-audio', '--remote-debugging-pipe', `--user-data-dir=${profile}`, `--window-size=${width},${height}`, 'about:blank',
  ], {stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe']})
  let stderr = ''
  browser.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL)
  })
  let spawnError: Error | undefined
  // 'exit' may not follow a spawn 'error' (ENOENT), so either ends the browser's life
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(done => {
    browser.once('exit', (code, signal) => done({code, signal}))
    browser.once('error', error => {
      spawnError = error
      done({code: null, signal: null})
    })
  })

  const describe = (what: string) => `${what} after ${((Date.now() - started) / 1000).toFixed(1)} s (${url}); chromium stderr:\n${stderr.trim() || '(empty)'}`
  const deadline = started + timeoutMs
  const pending = new Map<number, {resolve(result: any): void; reject(error: Error): void; method: string}>()
  const listeners: Array<(message: Message) => void> = []
  let failure: Error | undefined
  const failAll = (error: Error) => {
    failure ??= error
    for (const entry of pending.values()) entry.reject(failure)
    pending.clear()
  }
  void exited.then(({code, signal}) => failAll(new Error(describe(spawnError ? `chromium could not start (${spawnError.message})` : `chromium exited (code ${code}, signal ${signal})`))))
  const timer = setTimeout(() => failAll(new Error(describe(`the page visit exceeded ${timeoutMs / 1000} s`))), timeoutMs)

  let buffer = ''
  const toBrowser = browser.stdio[3] as NodeJS.WritableStream
  const fromBrowser = browser.stdio[4] as NodeJS.ReadableStream
  toBrowser.on('error', () => {}) // a dead browser surfaces through `exited`
  fromBrowser.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8')
    let end
    while ((end = buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffer.slice(0, end)) as Message
      buffer = buffer.slice(end + 1)
      const waiting = message.id === undefined ? undefined : pending.get(message.id)
      if (waiting) {
        pending.delete(message.id!)
        if (message.error) waiting.reject(new Error(describe(`${waiting.method} failed: ${message.error.message} (${message.error.code})`)))
        else waiting.resolve(message.result)
      } else {
        for (const listener of listeners) listener(message)
      }
    }
  })
  let nextId = 1
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<any> => new Promise((done, reject) => {
    if (failure) return reject(failure)
    const id = nextId++
    pending.set(id, {resolve: done, reject, method})
    toBrowser.write(JSON.stringify({id, method, params, ...(sessionId ? {sessionId} : {})}) + '\0')
  })
  const pause = (ms: number) => new Promise(done => setTimeout(done, ms))
  /** a grace period that does not keep the process alive once everything else is done */
  const grace = (ms: number) => new Promise(done => setTimeout(done, ms).unref())

  try {
    const {targetId} = await send('Target.createTarget', {url: 'about:blank'})
    const {sessionId} = await send('Target.attachToTarget', {targetId, flatten: true})
    const errors: string[] = []
    const consoleLines: string[] = []
    listeners.push(message => {
      if (message.sessionId !== sessionId) return
      const params = message.params
      if (message.method === 'Runtime.consoleAPICalled') {
        const line = `console.${params.type}: ${params.args.map((arg: {value?: unknown; description?: string}) => arg.value ?? arg.description).join(' ')}`
        consoleLines.push(line)
        if (['error', 'assert'].includes(params.type)) errors.push(line)
      } else if (message.method === 'Runtime.exceptionThrown') {
        const line = `exception: ${params.exceptionDetails.exception?.description ?? params.exceptionDetails.text}`
        consoleLines.push(line)
        errors.push(line)
      } else if (message.method === 'Log.entryAdded') {
        const line = `log ${params.entry.level}: ${params.entry.text} ${params.entry.url ?? ''}`.trim()
        consoleLines.push(line)
        if (params.entry.level === 'error') errors.push(line)
      }
    })
    for (const domain of ['Page', 'Runtime', 'Log']) await send(`${domain}.enable`, {}, sessionId)
    await send('Emulation.setDeviceMetricsOverride', {width, height, deviceScaleFactor: 1, mobile: false}, sessionId)
    const navigation = await send('Page.navigate', {url}, sessionId)
    if (navigation.errorText) throw new Error(describe(`navigation failed: ${navigation.errorText}`))
    // wait for *this* document to finish loading: the about:blank target fires its own load event,
    // which a slow machine can deliver after navigate, so an event alone proves nothing
    let state = 'not read yet'
    for (;;) {
      try {
        state = (await send('Runtime.evaluate', {expression: 'document.readyState + " " + location.href', returnByValue: true}, sessionId)).result.value
      } catch (error) {
        // the old document's context may vanish mid-call while the new one loads; only a dead browser or the deadline ends the wait
        if (failure) throw failure
        state = (error as Error).message.split('\n')[0]
      }
      if (state === `complete ${url}`) break
      if (Date.now() > deadline) throw new Error(describe(`the page did not finish loading (last state: ${state})`))
      await pause(100)
    }
    // late errors (a lazily failing resource) get a moment to arrive
    await pause(500)
    let evaluated: unknown
    if (options.evaluate) {
      const answer = await send('Runtime.evaluate', {expression: options.evaluate, returnByValue: true}, sessionId)
      if (answer.exceptionDetails) throw new Error(describe(`evaluating ${options.evaluate} threw ${answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text}`))
      evaluated = answer.result.value
    }
    if (options.scrollTo) {
      const found = await send('Runtime.evaluate', {expression: `(() => { const element = document.querySelector(${JSON.stringify(options.scrollTo)}); if (!element) return false; element.scrollIntoView(); return true })()`, returnByValue: true}, sessionId)
      if (found.result.value !== true) throw new Error(describe(`no element matches ${options.scrollTo} to scroll to`))
      await pause(200)
    }
    const shot = screenshot ? Buffer.from((await send('Page.captureScreenshot', {format: 'png', captureBeyondViewport: false}, sessionId)).data, 'base64') : undefined
    return {errors, console: consoleLines, screenshot: shot, evaluated}
  } finally {
    clearTimeout(timer)
    if (!failure) await Promise.race([send('Browser.close').catch(() => {}), grace(5000)])
    const gone = await Promise.race([exited.then(() => true), grace(5000).then(() => false)])
    if (!gone) {
      browser.kill('SIGKILL')
      await exited
    }
    rmSync(profile, {recursive: true, force: true, maxRetries: 3})
  }
}
