import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {openInChromium} from '../../scripts/report-screenshot.mjs'
import {isolatedEnv, repoRoot, runCli, tempDir} from '../helpers/cli.js'
import {writeValidTree} from '../verify/valid-tree.js'

function chromiumInstalled(): boolean {
  try {
    execFileSync('chromium', ['--version'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
}

describe('report.html in headless Chromium (Debian chromium, --headless --no-sandbox)', function () {
  this.timeout(120_000)
  const scratch: string[] = []
  after(() => scratch.forEach(dir => rmSync(dir, {recursive: true, force: true})))

  before(function () {
    if (!chromiumInstalled()) throw new Error('chromium is not installed: apt-get install chromium (CI installs it)')
  })

  it('the v1.0 report and a v3.0 training + checkpointing report load without console errors', async () => {
    const v3 = tempDir('mlps-v3-tree-')
    scratch.push(v3)
    writeValidTree(v3)
    for (const [resultsDir, edition] of [[join(repoRoot, 'fixtures/storage_results_v1.0'), '1.0'], [v3, '3.0']]) {
      const output = tempDir('mlps-report-')
      scratch.push(output)
      const result = await runCli(['reports', 'reportgen', '--results-dir', resultsDir, '--edition', edition, '--output-dir', output], {env: isolatedEnv()})
      assert.equal(result.exitCode, 0, result.stderr)
      const html = readFileSync(join(output, 'report.html'), 'utf8')
      assert.doesNotMatch(html, /<script|<link|src="http|href="http/, 'self-contained: no script, no external resource')
      assert.match(html, /<svg/)
      const {errors, screenshot} = await openInChromium(join(output, 'report.html'), {screenshot: true})
      assert.deepEqual(errors, [])
      assert.ok(screenshot && screenshot.subarray(1, 4).toString() === 'PNG')
    }
  })

  it('the checker itself sees console errors, exceptions and failed loads', async () => {
    const dir = tempDir('mlps-bad-html-')
    scratch.push(dir)
    const bad = join(dir, 'bad.html')
    const {writeFileSync} = await import('node:fs')
    writeFileSync(bad, '<html><body><script>console.error("boom"); missing()</script><img src="missing.png"></body></html>')
    const {errors} = await openInChromium(bad)
    assert.equal(errors.length, 3, errors.join('\n'))
  })
})
