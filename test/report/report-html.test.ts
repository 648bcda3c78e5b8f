import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import {type ChromiumPageResult, openInChromium} from '../../src/report/chromium-page.js'
import {editionV3} from '../../plugins/rules-v3/src/editions.js'
import {reportHtml} from '../../src/report/report-html.js'
import {buildResultsReport} from '../../src/report/write-report.js'
import {defineRule, fail, pass} from '../../src/verify/rule.js'
import {loadResultsTree} from '../../src/verify/tree-loader.js'
import {isolatedEnv, repoRoot, runCli, tempDir} from '../helpers/cli.js'
import {firstPartyCatalogue} from '../helpers/results-catalogue.js'
import {writeValidKvTree} from '../verify/kvcache-tree.js'
import {TRAINING, writeValidTree} from '../verify/valid-tree.js'
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

  /** The summary table and the whole page at a 1400 px window: nothing wider than the window, no headline unit wrapped. */
  const FITS = `(() => {
    const table = document.querySelector('table.summary')
    const wrapped = [...document.querySelectorAll('table.summary td.unit')].filter(cell => { const range = document.createRange(); range.selectNodeContents(cell); return range.getClientRects().length > 1 }).length
    return {page: document.documentElement.scrollWidth, window: innerWidth, tableRight: table.getBoundingClientRect().right, units: document.querySelectorAll('table.summary td.unit').length, wrapped}
  })()`

  for (const name of ['v1.0 training', 'v3.0 training, checkpointing, KV cache, vector database']) {
    it(`the ${name} report's summary table fits a 1400 px window without clipping or wrapping its headline`, async () => {
      const result = await openInChromium(reports[name], {width: 1400, height: 900, timeoutMs: VISIT_MS, evaluate: FITS})
      assert.deepEqual(result.errors, [], explain(result))
      const fit = result.evaluated as {page: number; window: number; tableRight: number; units: number; wrapped: number}
      assert.ok(fit.units > 0, JSON.stringify(fit))
      assert.ok(fit.page <= fit.window && fit.tableRight <= fit.window, `wider than the window: ${JSON.stringify(fit)}`)
      assert.equal(fit.wrapped, 0, `headline units wrapped: ${JSON.stringify(fit)}`)
    })
  }

  it('a real run\'s hosts\' time series is charted as rates (CPU busy, disks, network) and loads without console errors', async function () {
    this.timeout(TEST_MS + 120_000)
    const dir = tempDir('mlps-timeseries-run-')
    scratch.push(dir)
    const config = join(dir, 'mlps.yaml')
    writeFileSync(config, 'collector: local\nsampleIntervalSeconds: 1\n')
    const small = ['--param', 'dataset.num_files_train=48', '--param', 'dataset.record_length_bytes=1048576', '--param', 'dataset.record_length_bytes_stdev=0']
    const common = ['--config', config, '-m', 'unet3d', '--data-dir', join(dir, 'data'), '--results-dir', join(dir, 'results'), ...small]
    const datagen = await runCli(['training', 'datagen', ...common, '-n', '1'], {cwd: dir})
    assert.equal(datagen.exitCode, 0, datagen.stdout + datagen.stderr)
    // 0.4 s of compute per step keeps the run several 1 s samples long, whatever the storage's speed
    const run = await runCli(['training', 'run', ...common, '-g', 'h100', '-n', '2', '--param', 'train.epochs=3', '--param', 'train.computation_time=0.4', '--json'], {cwd: dir})
    assert.equal(run.exitCode, 0, run.stdout + run.stderr)
    const {leaf} = JSON.parse(run.stdout) as {leaf: string}
    const output = join(dir, 'report')
    const report = await runCli(['reports', 'reportgen', '--config', config, '--results-dir', join(dir, 'results'), '--edition', '3.0', '--output-dir', output], {cwd: dir})
    assert.equal(report.exitCode, 0, report.stderr)
    const result = await openInChromium(join(output, 'report.html'), {width: 1400, height: 900, timeoutMs: VISIT_MS, evaluate: `[...document.querySelectorAll('details.timeseries')].map(section => ({
      summary: section.querySelector('summary').textContent,
      charts: [...section.querySelectorAll('svg.timeseries')].map(chart => ({title: chart.getAttribute('aria-label'), lines: chart.querySelectorAll('polyline').length,
        points: Math.max(0, ...[...chart.querySelectorAll('polyline')].map(line => line.points.numberOfItems)), height: chart.getBoundingClientRect().height}))}))`})
    assert.deepEqual(result.errors, [], explain(result))
    const sections = result.evaluated as Array<{summary: string; charts: Array<{title: string; lines: number; points: number; height: number}>}>
    const stamp = basename(leaf).replace(/^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})$/, '$1-$2-$3 $4:$5:$6')
    const ofRun = sections.find(section => section.summary.includes(`run ${stamp}`))
    assert.ok(ofRun, `the run leaf ${leaf} has its time series: ${JSON.stringify(sections)}`)
    assert.match(ofRun.summary, /^hosts' time series · run \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} · 1 host, every 1\.00 s \(training_\d{8}_\d{6}_timeseries\.json\)$/)
    assert.deepEqual(ofRun.charts.map(chart => chart.title), ['CPU busy', 'Disk read', 'Disk write', 'Network receive', 'Network send'])
    for (const chart of ofRun.charts.slice(0, 3)) {
      assert.ok(chart.lines >= 1 && chart.points >= 2 && chart.height > 100, `${chart.title} is drawn: ${JSON.stringify(chart)}`)
    }
  })

  it('a group whose runs differ in parameters is flagged at the top of its group, visibly', async () => {
    const root = tempDir('mlps-group-flag-')
    scratch.push(root)
    writeValidTree(root)
    const catalogue = await firstPartyCatalogue()
    // a stand-in for the verify rule of a group whose runs differ in parameters (another engineer's): any group rule's finding shows the same way
    const differ = defineRule({id: 'test.groupParametersDiffer', scope: 'group', title: 'the runs of a group share their parameters', source: 'this test', severity: 'error', benchmarks: ['training'],
      check: group => group.runs.length > 1 ? fail(`${group.path}: runs differ in reader.read_threads (4 in 2 runs, 8 in the others)`, {fix: 'run every invocation with the same parameters', evidence: [{file: group.path}]}) : pass()})
    const {report} = buildResultsReport(await loadResultsTree(root, catalogue), {...editionV3, rules: [...editionV3.rules ?? [], differ]}, catalogue)
    const file = join(root, 'report.html')
    writeFileSync(file, reportHtml({edition: report.edition, generatedAt: report.generatedAt, category: report.category, rows: report.rows, findings: new Map(), href: leaf => leaf, catalogue}))
    const index = report.rows.findIndex(row => row.path === TRAINING)
    const result = await openInChromium(file, {width: 1400, height: 900, timeoutMs: VISIT_MS, evaluate: `(() => {
      const heading = document.getElementById('w${index}')
      const banner = heading.nextElementSibling
      const box = banner.getBoundingClientRect()
      return {className: banner.className, text: banner.textContent, visible: box.height > 20 && box.width > 600, background: getComputedStyle(banner).backgroundColor,
        flag: document.querySelector('table.summary a.flag')?.textContent}
    })()`})
    assert.deepEqual(result.errors, [], explain(result))
    const banner = result.evaluated as {className: string; text: string; visible: boolean; background: string; flag?: string}
    assert.equal(banner.className, 'group-finding error')
    assert.match(banner.text, /^Group error: test\.groupParametersDiffer.*runs differ in reader\.read_threads/)
    assert.ok(banner.visible, JSON.stringify(banner))
    assert.notEqual(banner.background, 'rgba(0, 0, 0, 0)', 'it stands out from the page')
    assert.equal(banner.flag, '⚑ 1 group finding')
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
