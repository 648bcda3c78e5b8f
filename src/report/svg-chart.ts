export interface Bar {
  label: string
  value?: number
  /** drawn faded: shown but not counted (a warm-up run) */
  faded?: boolean
}

export interface BarChartOptions {
  title: string
  unit: string
  /** a horizontal reference line, e.g. the mean or the AU threshold */
  lines?: Array<{value: number; label: string; kind: 'mean' | 'threshold'}>
}

const WIDTH = 560
const HEIGHT = 220
const MARGIN = {top: 28, right: 16, bottom: 44, left: 64}

/** A bar chart as inline SVG: no script, no external resource, so the report is one self-contained file. */
export function barChartSvg(bars: readonly Bar[], options: BarChartOptions): string {
  const known = bars.map(bar => bar.value).filter((value): value is number => value !== undefined)
  const top = Math.max(...known, ...(options.lines ?? []).map(line => line.value), 0) * 1.1 || 1
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight
  const slot = plotWidth / Math.max(bars.length, 1)
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(options.title)}">`,
    `<text x="${MARGIN.left}" y="16" class="chart-title">${escapeHtml(options.title)} (${escapeHtml(options.unit)})</text>`,
    `<line x1="${MARGIN.left}" y1="${y(0)}" x2="${WIDTH - MARGIN.right}" y2="${y(0)}" class="axis"/>`,
  ]
  for (const tick of [0, 0.5, 1]) {
    const value = top * tick
    parts.push(`<text x="${MARGIN.left - 6}" y="${y(value) + 4}" class="tick" text-anchor="end">${escapeHtml(formatNumber(value))}</text>`)
  }
  bars.forEach((bar, index) => {
    const x = MARGIN.left + index * slot + slot * 0.15
    const width = slot * 0.7
    const labelX = MARGIN.left + index * slot + slot / 2
    if (bar.value === undefined) {
      parts.push(`<text x="${labelX}" y="${y(0) - 6}" class="na" text-anchor="middle">n/a</text>`)
    } else {
      const height = Math.max(y(0) - y(bar.value), 0)
      parts.push(`<rect x="${x.toFixed(1)}" y="${y(bar.value).toFixed(1)}" width="${width.toFixed(1)}" height="${height.toFixed(1)}" class="${bar.faded ? 'bar faded' : 'bar'}"><title>${escapeHtml(`${bar.label.replaceAll('\n', ' ')}: ${formatNumber(bar.value)} ${options.unit}`)}</title></rect>`)
    }
    // a label's lines (a run's date over its time) stack under the bar
    const lines = bar.label.split('\n').map((line, row) => `<tspan x="${labelX}" dy="${row === 0 ? 0 : 12}">${escapeHtml(line)}</tspan>`).join('')
    parts.push(`<text x="${labelX}" y="${HEIGHT - MARGIN.bottom + 14}" class="tick" text-anchor="middle">${lines}</text>`)
  })
  for (const line of options.lines ?? []) {
    parts.push(`<line x1="${MARGIN.left}" y1="${y(line.value).toFixed(1)}" x2="${WIDTH - MARGIN.right}" y2="${y(line.value).toFixed(1)}" class="${line.kind}"/>`,
      `<text x="${WIDTH - MARGIN.right}" y="${(y(line.value) - 4).toFixed(1)}" class="tick" text-anchor="end">${escapeHtml(`${line.label} ${formatNumber(line.value)}`)}</text>`)
  }
  parts.push('</svg>')
  return parts.join('')
}

export function formatNumber(value: number): string {
  return value.toLocaleString('en-US', {maximumFractionDigits: 2, minimumFractionDigits: Math.abs(value) < 100 ? 2 : 0})
}

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;')
}
