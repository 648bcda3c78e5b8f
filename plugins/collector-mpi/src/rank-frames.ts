import {GatherFrameParser, type LauncherKind, type RawHostReport} from 'mlps/unstable'
import {splitLabelledLine} from './rank-output.js'

/** Reassembles each rank's lines from the launcher's labelled output and parses them into frames, one parser per rank. */
export class RankFrames {
  private readonly parsers = new Map<number, GatherFrameParser>()
  private readonly unfinished = new Map<number, string>()
  readonly chatter: string[] = []
  /** controller time of each rank's first output */
  readonly firstLineMs = new Map<number, number>()
  readonly errors: string[] = []

  constructor(private readonly kind: LauncherKind, private readonly onFrame: (rank: number, raw: RawHostReport) => void) {}

  line(line: string, stream: 'stdout' | 'stderr'): void {
    const segments = stream === 'stdout' ? splitLabelledLine(this.kind, line) : undefined
    if (!segments) {
      if (line.trim() && this.chatter.length < 20) this.chatter.push(line)
      return
    }
    for (const [index, {rank, text}] of segments.entries()) {
      if (!this.firstLineMs.has(rank)) this.firstLineMs.set(rank, Date.now())
      const sofar = (this.unfinished.get(rank) ?? '') + text
      // only the last piece of a line owns the newline; the others are a rank's text cut off mid-line
      if (index < segments.length - 1) {
        this.unfinished.set(rank, sofar)
        continue
      }
      this.unfinished.delete(rank)
      this.feed(rank, `${sofar}\n`)
    }
  }

  private feed(rank: number, text: string): void {
    let parser = this.parsers.get(rank)
    if (!parser) {
      parser = new GatherFrameParser()
      this.parsers.set(rank, parser)
    }
    try {
      for (const raw of parser.push(text)) this.onFrame(rank, raw)
    } catch (error) {
      if (this.errors.length < 20) this.errors.push(`rank ${rank}: ${(error as Error).message}`)
    }
  }
}
