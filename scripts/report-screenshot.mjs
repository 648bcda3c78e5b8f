// Open a report.html in headless Chromium (the built src/report/chromium-page
// driver), report its console errors, and save a screenshot for the docs.
//
//   npm run report:screenshot                     (v1.0 fixture → docs/images/report.png)
//   node scripts/report-screenshot.mjs <report.html> <out.png> [<CSS selector scrolled to the top>]
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {openInChromium} from '../dist/src/report/chromium-page.js'

async function main() {
  const root = fileURLToPath(new URL('..', import.meta.url))
  let [report, out, scrollTo] = process.argv.slice(2)
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
  const {errors, screenshot} = await openInChromium(report, {screenshot: true, width: 1400, height: 900, ...(scrollTo ? {scrollTo} : {})})
  mkdirSync(dirname(out), {recursive: true})
  writeFileSync(out, screenshot)
  if (outputDir) rmSync(outputDir, {recursive: true, force: true})
  console.error(`wrote ${out}${errors.length ? `\n${errors.length} console error(s):\n  ${errors.join('\n  ')}` : ' (no console errors)'}`)
  process.exitCode = errors.length > 0 ? 1 : 0
}

await main()
