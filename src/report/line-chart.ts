import {escapeHtml, formatNumber} from './svg-chart.js'

export interface LineSeries {
  name: string
  values: readonly number[]
}

export interface LineChartOptions {
  title: string
  unit: string
  /** x of each point, in seconds */
  times: readonly number[]
  /** a fixed top (CPU busy: 100 %), else the largest value */
  top?: number
}

const WIDTH = 560
const HEIGHT = 200
const MARGIN = {top: 28, right: 16, bottom: 34, left: 64}
/** colour-blind-safe (Okabe–Ito), in the order series are drawn */
const COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#000000']
/** beyond this many devices a chart is unreadable: the busiest are drawn, the rest named in the legend as left out */
const MAX_SERIES = 8

/** A time-series line chart as inline SVG, like the bar charts: no script, no external resource. */
export function lineChartSvg(series: readonly LineSeries[], options: LineChartOptions): string {
  const ranked = [...series].sort((a, b) => sum(b.values) - sum(a.values))
  const drawn = ranked.slice(0, MAX_SERIES)
  const left = ranked.slice(MAX_SERIES)
  const {times} = options
  const top = options.top ?? (Math.max(0, ...drawn.flatMap(line => line.values)) * 1.1 || 1)
  const span = Math.max(times[times.length - 1] ?? 1, 1e-9)
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom
  const x = (seconds: number) => MARGIN.left + (seconds / span) * plotWidth
  const y = (value: number) => MARGIN.top + plotHeight - (Math.min(value, top) / top) * plotHeight
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" class="timeseries" aria-label="${escapeHtml(options.title)}">`,
    `<text x="${MARGIN.left}" y="16" class="chart-title">${escapeHtml(options.title)} (${escapeHtml(options.unit)})</text>`,
    `<line x1="${MARGIN.left}" y1="${y(0)}" x2="${WIDTH - MARGIN.right}" y2="${y(0)}" class="axis"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${y(0)}" class="axis"/>`,
  ]
  for (const tick of [0, 0.5, 1]) {
    parts.push(`<text x="${MARGIN.left - 6}" y="${(y(top * tick) + 4).toFixed(1)}" class="tick" text-anchor="end">${escapeHtml(formatNumber(top * tick))}</text>`)
    parts.push(`<text x="${x(span * tick).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 14}" class="tick" text-anchor="middle">${escapeHtml(`${formatNumber(span * tick)} s`)}</text>`)
  }
  drawn.forEach((line, index) => {
    const points = line.values.map((value, point) => `${x(times[point]).toFixed(1)},${y(value).toFixed(1)}`).join(' ')
    parts.push(`<polyline points="${points}" fill="none" stroke="${COLOURS[index]}" stroke-width="1.5"><title>${escapeHtml(`${line.name}: peak ${formatNumber(Math.max(...line.values))} ${options.unit}`)}</title></polyline>`)
  })
  const legend = [...drawn.map((line, index) => `<tspan fill="${COLOURS[index]}">■ ${escapeHtml(line.name)}</tspan>`), ...left.length > 0 ? [`<tspan>+${left.length} quieter not drawn</tspan>`] : []]
  parts.push(`<text x="${MARGIN.left}" y="${HEIGHT - 4}" class="tick legend">${legend.join(' ')}</text>`, '</svg>')
  return parts.join('')
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0)
}
