import assert from 'node:assert/strict'
import {editionV3} from '../../plugins/rules-v3/src/editions.js'
import type {HostSample} from '../../src/cluster/time-series.js'
import {hostRates} from '../../src/report/host-rates.js'
import {reportHtml} from '../../src/report/report-html.js'
import {runLabel} from '../../src/report/run-label.js'
import {buildResultsReport} from '../../src/report/write-report.js'
import type {Finding} from '../../src/verify/finding.js'
import {defineRule, fail, pass} from '../../src/verify/rule.js'
import {loadResultsTree} from '../../src/verify/tree-loader.js'
import {firstPartyCatalogue} from '../helpers/results-catalogue.js'
import {tempDir} from '../helpers/cli.js'
import {TRAINING, writeValidTree} from '../verify/valid-tree.js'

const TICKS = 100

function sample(seconds: number, counters: {busyTicks: number; idleTicks: number; vdaSectorsRead: number; vda1SectorsRead: number; dmSectorsWritten: number; eth0Rx: number; loRx: number}): HostSample {
  const disk = (name: string, sectorsRead: number, sectorsWritten: number) => ({name, readsCompleted: 0, sectorsRead, timeReadingMs: 0, writesCompleted: 0, sectorsWritten, timeWritingMs: 0, iosInProgress: 0, timeDoingIosMs: 0})
  const nic = (name: string, rxBytes: number) => ({name, rxBytes, rxPackets: 0, rxErrors: 0, txBytes: 0, txPackets: 0, txErrors: 0})
  return {
    time: new Date(Date.UTC(2026, 11, 1, 12, 0, 0) + seconds * 1000).toISOString(),
    volatile: {
      uptimeSeconds: null, loadavg: null, memory: {}, cpuMhz: null, vmstat: {},
      cpuTimes: {user: counters.busyTicks, nice: 0, system: 0, idle: counters.idleTicks, iowait: 0, irq: 0, softirq: 0, steal: 0},
      disks: [disk('vda', counters.vdaSectorsRead, 0), disk('vda1', counters.vda1SectorsRead, 0), disk('dm-0', 0, counters.dmSectorsWritten)],
      network: [nic('eth0', counters.eth0Rx), nic('lo', counters.loRx)],
    },
  }
}

describe('report.html sections', () => {
  it('turns cumulative counters into rates per interval: CPU busy, MB/s per whole disk and per interface', () => {
    const [host] = hostRates({samplesByHost: {node1: [
      sample(0, {busyTicks: 0, idleTicks: 0, vdaSectorsRead: 0, vda1SectorsRead: 0, dmSectorsWritten: 0, eth0Rx: 0, loRx: 0}),
      // 2 s: 150 of 200 ticks busy, 4,000,000 sectors × 512 B read = 2048 MB → 1024 MB/s, 50 MB received → 25 MB/s
      sample(2, {busyTicks: 150, idleTicks: 50, vdaSectorsRead: 4_000_000, vda1SectorsRead: 4_000_000, dmSectorsWritten: 9_999, eth0Rx: 50e6, loRx: 9e9}),
      // the same time again (a clock step): skipped, not divided by zero
      sample(2, {busyTicks: 160, idleTicks: 50, vdaSectorsRead: 4_000_000, vda1SectorsRead: 4_000_000, dmSectorsWritten: 9_999, eth0Rx: 50e6, loRx: 9e9}),
      // 1 s more: idle; the counter went back (a device reset), which says nothing about the interval
      sample(3, {busyTicks: 160, idleTicks: 50 + TICKS, vdaSectorsRead: 1000, vda1SectorsRead: 4_000_000, dmSectorsWritten: 9_999, eth0Rx: 60e6, loRx: 9e9}),
    ]}})
    assert.equal(host.host, 'node1')
    assert.deepEqual(host.times, [2, 3])
    assert.deepEqual(host.cpuBusyPercent, [75, 0])
    assert.deepEqual(host.diskReadMBps, [{name: 'vda', values: [1024, 0]}], 'the partition and the device-mapper volume count the disk\'s I/O again')
    assert.deepEqual(host.diskWriteMBps, [{name: 'vda', values: [0, 0]}])
    assert.deepEqual(host.networkRxMBps, [{name: 'eth0', values: [25, 10]}], 'loopback is not the network')
  })

  it('labels a run by the timestamp of its leaf, else by its start, else by its place', () => {
    assert.equal(runLabel({path: 'closed/a/results/s/training/unet3d/run/20261201_132155'}, 0), '2026-12-01\n13:21:55')
    assert.equal(runLabel({path: 'v1/run-b', startedAt: new Date('2024-07-01T10:00:05Z')}, 1), '2024-07-01\n10:00:05Z')
    assert.equal(runLabel({path: 'v1/run-c'}, 2), 'run 3')
  })

  it('puts a group-level finding at the top of its group and flags the group in the summary table', async () => {
    const root = tempDir('mlps-group-finding-')
    writeValidTree(root)
    const catalogue = await firstPartyCatalogue()
    // a stand-in for the verify rule another engineer adds (a group whose runs differ in parameters): any group rule's finding is shown the same way
    const differ = defineRule({id: 'test.groupParametersDiffer', scope: 'group', title: 'the runs of a group share their parameters', source: 'this test', severity: 'error', benchmarks: ['training'],
      check: group => group.runs.length > 1 ? fail(`${group.path}: runs differ in reader.read_threads (4 in 2 runs, 8 in the others)`, {fix: 'run every invocation of the workload with the same parameters', evidence: [{file: group.path}]}) : pass()})
    const edition = {...editionV3, rules: [...editionV3.rules ?? [], differ]}
    const {report} = buildResultsReport(await loadResultsTree(root, catalogue), edition, catalogue)
    const row = report.rows.find(candidate => candidate.path === TRAINING)!
    assert.deepEqual(row.groupFindings.map(finding => finding.ruleId), ['test.groupParametersDiffer'])
    assert.ok(report.rows.filter(candidate => candidate !== row).every(other => !other.groupFindings.some(finding => finding.ruleId === 'test.groupParametersDiffer')))
    const findings = new Map(report.rows.map(candidate => [candidate.path, report.findings.filter(finding => finding.evidence?.some(evidence => evidence.file?.startsWith(candidate.path)))]))
    const html = reportHtml({edition: report.edition, generatedAt: report.generatedAt, category: report.category, rows: report.rows, findings, href: leaf => leaf, catalogue})
    const index = report.rows.indexOf(row)
    const section = html.slice(html.indexOf(`<h2 id="w${index}">`), html.indexOf('<h2 id="w', html.indexOf(`<h2 id="w${index}">`) + 5))
    const banner = section.indexOf('<div class="group-finding error" role="note"><strong>Group error: <code>test.groupParametersDiffer</code></strong>')
    assert.ok(banner > 0 && banner < section.indexOf('<p class="meta">'), 'the banner comes right under the group\'s heading, before its figures')
    assert.match(section, /runs differ in reader\.read_threads \(4 in 2 runs, 8 in the others\)<br><em class="fix">fix: run every invocation/)
    assert.match(html, new RegExp(`<a class="flag" href="#w${index}" title="test.groupParametersDiffer">⚑ 1 group finding</a>`))
  })

  it('groups findings by rule, worst first, and prints a fix they share (a long allow-list) once', async () => {
    const catalogue = await firstPartyCatalogue()
    const allowList = 'CLOSED allows dataset.num_files_train, dataset.num_subfolders_train, dataset.data_folder, reader.read_threads, reader.computation_threads'
    const closed = (key: string): Finding => ({ruleId: '3.6.2 trainingClosedParameters', severity: 'error', message: `run/1: ${key} may not be changed`, fix: `drop --param ${key}; ${allowList}`})
    const findings: Finding[] = [{ruleId: 'report.metricMissing', severity: 'warn', message: 'w: AU is n/a'}, closed('train.epochs'), closed('train.computation_time')]
    const row = {path: 'w', category: 'INVALID' as const, runs: 0, metrics: {}, missing: {}, runFigures: [], charts: [], runLeaves: [], groupFindings: []}
    const html = reportHtml({edition: '3.0', generatedAt: 'now', category: 'INVALID', rows: [row], findings: new Map([['w', findings]]), href: leaf => leaf, catalogue})
    assert.equal(html.split(allowList).length - 1, 1, 'the allow-list once')
    assert.match(html, /<summary>3 findings under 2 rules<\/summary>/)
    assert.ok(html.indexOf('3.6.2 trainingClosedParameters') < html.indexOf('report.metricMissing'), 'errors before warnings')
    assert.match(html, /<code>3\.6\.2 trainingClosedParameters<\/code> \(2×\) <em class="fix">fix for all: CLOSED allows dataset\.num_files_train/)
    assert.match(html, /run\/1: train\.epochs may not be changed <em class="fix">fix: drop --param train\.epochs<\/em>/)
  })
})
