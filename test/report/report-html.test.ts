import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {type ChromiumPageResult, openInChromium} from '../../src/report/chromium-page.js'
import {isolatedEnv, repoRoot, runCli, tempDir} from '../helpers/cli.js'
import {writeValidKvTree} from '../verify/kvcache-tree.js'
import {writeValidTree} from '../verify/valid-tree.js'
import {writeValidVdbTree} from '../verify/vectordb-tree.js'

// Generous, layered deadlines: the page visit (150 s) gives up before mocha (240 s) does, so a hang
// under load fails with the step that hung and Chromium's stderr, never a bare mocha timeout.
const VISIT_MS = 150_000
const TEST_MS = 240_000

function chromiumVersion(): string | undefined {
  try {
    return execFileSync('chromium', ['--version'], {encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore']}).trim()
  } catch {
    return undefined
  }
}

/** What a failed assertion prints: the page's whole console, not just its errors. */
function explain(result: ChromiumPageResult): string {
  return `errors:\n  ${result.errors.join('\n  ') || '(none)'}\nconsole:\n  ${result.console.join('\n  ') || '(empty)'}`
}

describe('report.html in headless Chromium (Debian chromium, --headless --no-sandbox)', function () {
  this.timeout(TEST_MS)
  const scratch: string[] = []
  const reports: Record<string, string> = {}
  after(() => scratch.forEach(dir => rmSync(dir, {recursive: true, force: true})))

  before(async function () {
    if (!chromiumVersion()) throw new Error('chromium is not installed: apt-get install chromium (CI installs it)')
    const v3 = tempDir('mlps-v3-tree-')
    scratch.push(v3)
    writeValidTree(v3)
    writeValidKvTree(v3)
    writeValidVdbTree(v3)
    for (const [name, resultsDir, edition] of [['v1.0 training', join(repoRoot, 'fixtures/storage_results_v1.0'), '1.0'], ['v3.0 training, checkpointing, KV cache, vector database', v3, '3.0']]) {
      const output = tempDir('mlps-report-')
      scratch.push(output)
      const result = await runCli(['reports', 'reportgen', '--results-dir', resultsDir, '--edition', edition, '--output-dir', output], {env: isolatedEnv()})
      assert.equal(result.exitCode, 0, `reportgen ${name}: ${result.stderr}`)
      reports[name] = join(output, 'report.html')
    }
  })

  for (const name of ['v1.0 training', 'v3.0 training, checkpointing, KV cache, vector database']) {
    it(`the ${name} report is self-contained and loads without console errors`, async () => {
      const html = readFileSync(reports[name], 'utf8')
      assert.doesNotMatch(html, /<script|<link|src="http|href="http/, 'self-contained: no script, no external resource')
      assert.match(html, /<svg/)
      const result = await openInChromium(reports[name], {screenshot: true, timeoutMs: VISIT_MS})
      assert.deepEqual(result.errors, [], explain(result))
      assert.ok(result.screenshot && result.screenshot.subarray(1, 4).toString() === 'PNG', 'a PNG screenshot')
    })
  }

  it('the checker itself sees console errors, exceptions and failed loads', async () => {
    const dir = tempDir('mlps-bad-html-')
    scratch.push(dir)
    const bad = join(dir, 'bad.html')
    writeFileSync(bad, '<html><body><script>console.log("hello"); console.error("boom"); missing()</script><img src="missing.png"></body></html>')
    const result = await openInChromium(bad, {timeoutMs: VISIT_MS})
    assert.equal(result.errors.length, 3, explain(result))
    assert.ok(result.console.includes('console.log: hello'), explain(result))
  })

  it('a browser that cannot start is reported with the reason, not a hang', async () => {
    await assert.rejects(openInChromium(reports['v1.0 training'], {chromium: '/nonexistent/chromium', timeoutMs: VISIT_MS}), /chromium could not start \(spawn \/nonexistent\/chromium ENOENT\) after .* s \(file:.*\); chromium stderr:/s)
  })
})
