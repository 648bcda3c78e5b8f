import assert from 'node:assert/strict'
import {readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {isolatedEnv, parseJson, repoRoot, runCli, tempDir} from '../helpers/cli.js'

const V1 = join(repoRoot, 'fixtures/storage_results_v1.0')

/** equal to 6 significant digits */
function sameTo6(actual: number, expected: number): boolean {
  return Number(actual.toPrecision(6)) === Number(expected.toPrecision(6)) || Math.abs(actual - expected) <= Math.abs(expected) * 5e-7
}

describe('mlps reports reportgen --edition 1.0 on the real v1.0 results', () => {
  let output: string
  let json: {edition: string; category: string; files: string[]; rows: any[]}
  before(async function () {
    this.timeout(60_000)
    output = tempDir('mlps-reportgen-')
    const result = await runCli(['reports', 'reportgen', '--results-dir', V1, '--edition', '1.0', '--output-dir', output, '--json'], {env: isolatedEnv()})
    assert.equal(result.exitCode, 0, result.stderr)
    json = parseJson(result)
  })
  after(() => rmSync(output, {recursive: true, force: true}))

  it('reproduces the four training figures of all 40 official mlperf_storage_report.json files to 6 significant digits', () => {
    const results = JSON.parse(readFileSync(join(output, 'results.json'), 'utf8'))
    assert.equal(results.rows.length, 40)
    let compared = 0
    for (const row of results.rows) {
      const officialFile = [join(V1, row.path, 'mlperf_storage_report.json'), join(V1, row.path, '..', 'mlperf_storage_report.json')]
        .find(file => {
          try {
            readFileSync(file)
            return true
          } catch {
            return false
          }
        })!
      const {overall} = JSON.parse(readFileSync(officialFile, 'utf8'))
      const pairs: Array<[string, number, number]> = [
        ['samples/s mean', row.metrics.train_throughput_mean_samples_per_second, overall.train_throughput_mean_samples_per_second],
        ['samples/s stdev', row.metrics.train_throughput_stdev_samples_per_second, overall.train_throughput_stdev_samples_per_second],
        ['MB/s mean', row.metrics.train_io_mean_MiB_per_second, overall.train_throughput_mean_MB_per_second],
        ['MB/s stdev', row.metrics.train_io_stdev_MiB_per_second, overall.train_throughput_stdev_MB_per_second],
      ]
      for (const [label, actual, expected] of pairs) {
        assert.ok(sameTo6(actual, expected), `${row.path} ${label}: ${actual} vs official ${expected}`)
        compared++
      }
      assert.equal(row.runs, overall.num_benchmark_runs)
      assert.equal(String(row.accelerators), String(overall.train_num_accelerators))
    }
    assert.equal(compared, 160)
  })

  it('prints the rows on stdout with --json and writes the three files', () => {
    assert.equal(json.edition, '1.0')
    assert.equal(json.category, 'OPEN')
    assert.deepEqual(json.files.map(file => file.slice(output.length + 1)), ['results.json', 'results.csv', 'report.html'])
    assert.equal(json.rows.length, 40)
  })

  it('results.csv has a line per row, GiB/s = MiB/s ÷ 1024, and no training metric left blank', () => {
    const [header, ...lines] = readFileSync(join(output, 'results.csv'), 'utf8').trimEnd().split('\n')
    const columns = header.split(',')
    assert.equal(lines.length, 40)
    const at = (line: string, name: string) => line.split(',')[columns.indexOf(name)]
    for (const line of lines) {
      for (const name of ['train_throughput_mean_samples_per_second', 'train_io_mean_MiB_per_second', 'train_read_bw_GiB_per_second', 'train_au_mean_percentage']) {
        assert.ok(Number.isFinite(Number(at(line, name))), `${name} in ${line.slice(0, 80)}`)
      }
      assert.ok(Math.abs(Number(at(line, 'train_read_bw_GiB_per_second')) - Number(at(line, 'train_io_mean_MiB_per_second')) / 1024) < 1e-9)
    }
  })
})
