import type {ResultsCatalogue} from '../verify/results-catalogue.js'
import type {ReportRow} from './report-row.js'
import {escapeHtml, formatNumber} from './svg-chart.js'

interface SystemBar {
  label: string
  value: number
}

const LABEL_WIDTH = 340
const BAR_WIDTH = 230
const VALUE_WIDTH = 70
const ROW_HEIGHT = 18
const TOP = 26

/** Bars side by side with their system named on the left: readable for forty systems, where columns would not be. */
function horizontalBarsSvg(bars: readonly SystemBar[], title: string, unit: string): string {
  const top = Math.max(...bars.map(bar => bar.value), 0) || 1
  const width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
  const height = TOP + bars.length * ROW_HEIGHT + 6
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" class="cross-system" aria-label="${escapeHtml(title)}">`,
    `<text x="0" y="16" class="chart-title">${escapeHtml(title)} (${escapeHtml(unit)})</text>`,
  ]
  bars.forEach((bar, index) => {
    const y = TOP + index * ROW_HEIGHT
    const length = (bar.value / top) * BAR_WIDTH
    parts.push(`<text x="${LABEL_WIDTH - 6}" y="${y + 12}" class="tick" text-anchor="end">${escapeHtml(bar.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + 2}" width="${length.toFixed(1)}" height="${ROW_HEIGHT - 5}" class="bar"><title>${escapeHtml(`${bar.label}: ${formatNumber(bar.value)} ${unit}`)}</title></rect>`,
      `<text x="${(LABEL_WIDTH + length + 4).toFixed(1)}" y="${y + 12}" class="tick">${escapeHtml(formatNumber(bar.value))}</text>`)
  })
  parts.push('</svg>')
  return parts.join('')
}

/** the characters of 11 px text that fit the label column */
const LABEL_CHARACTERS = 50

/** A system as a cross-system chart names it: organization (unless the system's name starts with it), system, accelerator, cut to fit its column. */
function systemLabel(row: ReportRow): string {
  const system = row.system ?? row.path
  const named = row.organization && !system.toLowerCase().startsWith(row.organization.toLowerCase()) ? `${row.organization} ${system}` : system
  const suffix = row.accelerator ? ` · ${row.accelerator}` : ''
  return named.length + suffix.length > LABEL_CHARACTERS ? `${named.slice(0, LABEL_CHARACTERS - suffix.length - 1)}…${suffix}` : named + suffix
}

/**
 * The headline figure of every system running the same workload (benchmark and model), divided by
 * its client hosts and by its accelerators: totals favour the larger cluster, these compare what
 * each client and each accelerator got from the storage. A row without the figure, or without a
 * host or accelerator count, is left out and counted under the chart.
 */
export function crossSystemCharts(rows: readonly ReportRow[], catalogue: ResultsCatalogue): string {
  const workloads = new Map<string, ReportRow[]>()
  for (const row of rows) {
    const key = `${row.benchmark ?? '?'} · ${row.model ?? '?'}`
    workloads.set(key, [...workloads.get(key) ?? [], row])
  }
  const sections: string[] = []
  for (const [workload, members] of workloads) {
    const headline = catalogue.byFolder(members[0].benchmark)?.results.report?.headline
    if (!headline) continue
    const per = (divisor: (row: ReportRow) => number | undefined) => {
      const bars = members.flatMap(row => {
        const value = row.metrics[headline.column]
        const by = divisor(row)
        return typeof value === 'number' && by !== undefined && by > 0 ? [{label: systemLabel(row), value: value / by}] : []
      })
      return {bars: bars.sort((a, b) => b.value - a.value), left: members.length - bars.length}
    }
    const perClient = per(row => row.hosts)
    const perAccelerator = per(row => row.accelerators)
    if (perClient.bars.length + perAccelerator.bars.length === 0) continue
    const note = (left: number, what: string) => left > 0 ? `<p class="meta">${left} system${left === 1 ? '' : 's'} left out: no ${headline.label} or no ${what} count</p>` : ''
    sections.push(`<h3>${escapeHtml(workload)}</h3><div class="charts">` +
      `<div>${horizontalBarsSvg(perClient.bars, 'Per client host', headline.label)}${note(perClient.left, 'host')}</div>` +
      `<div>${horizontalBarsSvg(perAccelerator.bars, 'Per accelerator', headline.label)}${note(perAccelerator.left, 'accelerator')}</div></div>`)
  }
  return sections.length === 0 ? '' : `<h2 id="across-systems">Across systems</h2>${sections.join('\n')}`
}
