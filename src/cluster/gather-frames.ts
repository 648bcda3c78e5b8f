import {RAW_REPORT_FORMAT, type RawHostReport, RawHostReportSchema} from './raw-report.js'

interface FrameDraft {
  mode: 'snapshot' | 'sample'
  time?: string
  files: Record<string, string>
  errors: Record<string, string>
  sections: Record<'statfs' | 'net' | 'block' | 'times', string[]>
  probe?: string | null
}

/**
 * Reads the framed output of the shell gatherer (gather-script.ts) as it
 * streams in and yields one RawHostReport per complete frame. Lines outside
 * a frame (a login banner, a shell's complaint) are kept apart as noise for
 * error messages, never mixed into facts.
 */
export class GatherFrameParser {
  readonly noise: string[] = []
  private pending = ''
  private frame?: FrameDraft
  private section?: {kind: 'file' | 'probe' | 'statfs' | 'net' | 'block' | 'times'; key?: string; lines: string[]}

  /** Feed output; returns the frames completed by it. */
  push(chunk: string): RawHostReport[] {
    const text = this.pending + chunk
    const lines = text.split('\n')
    this.pending = lines.pop() ?? ''
    const done: RawHostReport[] = []
    for (const line of lines) {
      const report = this.line(line)
      if (report) done.push(report)
    }
    return done
  }

  /** Everything after the last complete frame, for an error message when a frame was cut short. */
  get incomplete(): boolean {
    return this.frame !== undefined || this.pending.startsWith('@@')
  }

  private line(line: string): RawHostReport | undefined {
    if (!line.startsWith('@@')) {
      if (this.section) this.section.lines.push(line)
      else if (line.trim() && this.noise.length < 20) this.noise.push(line)
      return undefined
    }
    const space = line.indexOf(' ')
    const tag = space === -1 ? line.slice(2) : line.slice(2, space)
    const argument = space === -1 ? '' : line.slice(space + 1)
    if (tag === 'begin') {
      const [format, mode] = argument.split(' ')
      if (format !== RAW_REPORT_FORMAT || (mode !== 'snapshot' && mode !== 'sample')) throw new Error(`unknown gatherer frame "${line}" (expected ${RAW_REPORT_FORMAT})`)
      this.frame = {mode, files: {}, errors: {}, sections: {statfs: [], net: [], block: [], times: []}}
      this.section = undefined
      return undefined
    }
    const frame = this.frame
    if (!frame) {
      if (this.noise.length < 20) this.noise.push(line)
      return undefined
    }
    this.closeSection(frame)
    switch (tag) {
      case 'time': {
        frame.time = argument.trim()
        break
      }
      case 'file': {
        this.section = {kind: 'file', key: argument, lines: []}
        break
      }
      case 'probe': {
        this.section = {kind: 'probe', lines: []}
        break
      }
      case 'error': {
        if (argument === 'probe') frame.probe = null
        else {
          delete frame.files[argument]
          frame.errors[argument] = 'unreadable'
        }
        break
      }
      case 'statfs': case 'net': case 'block': case 'times': {
        this.section = {kind: tag, lines: []}
        break
      }
      case 'end': {
        this.frame = undefined
        return buildReport(frame)
      }
      default: {
        throw new Error(`unknown gatherer section "${line}"`)
      }
    }
    return undefined
  }

  private closeSection(frame: FrameDraft): void {
    const section = this.section
    this.section = undefined
    if (!section) return
    while (section.lines.length > 0 && section.lines.at(-1) === '') section.lines.pop()
    if (section.kind === 'file') frame.files[section.key!] = section.lines.length > 0 ? section.lines.join('\n') + '\n' : ''
    else if (section.kind === 'probe') frame.probe = section.lines.join('\n')
    else frame.sections[section.kind].push(...section.lines.filter(Boolean))
  }
}

function buildReport(frame: FrameDraft): RawHostReport {
  const {time, timePrecise} = parseDateOutput(frame.time)
  const report: RawHostReport = {
    format: RAW_REPORT_FORMAT,
    mode: frame.mode,
    timeMs: time,
    timePrecise,
    files: frame.files,
    statfs: frame.sections.statfs.flatMap(line => {
      const match = /^(\d+) (\d+) (\d+) (\d+) (.+)$/.exec(line)
      return match ? [{mountPoint: match[5], blockSize: Number(match[1]), blocks: Number(match[2]), freeBlocks: Number(match[3]), availableBlocks: Number(match[4])}] : []
    }),
    net: frame.sections.net.flatMap(line => {
      const [name, speed, mtu] = line.split(' ')
      return name ? [{name, speed: integerOrNull(speed), mtu: integerOrNull(mtu)}] : []
    }),
    blockDevices: frame.sections.block,
    errors: frame.errors,
  }
  if (frame.probe !== undefined) report.probe = frame.probe
  const cpu = parseTimes(frame.sections.times)
  if (cpu !== undefined) report.cpuSeconds = cpu
  return RawHostReportSchema.parse(report)
}

/** `date +%s.%N`: GNU prints nanoseconds; a `date` without %N prints a literal N and is good to a second. */
function parseDateOutput(text: string | undefined): {time: number; timePrecise: boolean} {
  const match = /^(\d+)\.(\d+)$/.exec(text ?? '')
  if (match) return {time: Number(match[1]) * 1000 + Number(`0.${match[2]}`) * 1000, timePrecise: true}
  const seconds = /^(\d+)/.exec(text ?? '')
  if (seconds) return {time: Number(seconds[1]) * 1000, timePrecise: false}
  throw new Error(`the gatherer printed no time (got "${text ?? ''}")`)
}

/** POSIX `times`: "0m0.01s 0m0.02s" for the shell and again for its children; the sum is its CPU use. */
function parseTimes(lines: string[]): number | undefined {
  let total = 0
  let found = false
  for (const match of lines.join(' ').matchAll(/(\d+)m([\d.]+)s/g)) {
    total += Number(match[1]) * 60 + Number(match[2])
    found = true
  }
  return found ? total : undefined
}

function integerOrNull(text: string | undefined): number | null {
  return text !== undefined && /^-?\d+$/.test(text) ? Number(text) : null
}
