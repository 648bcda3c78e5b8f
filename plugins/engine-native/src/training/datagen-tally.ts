export interface DatagenProgress {
  filesDone: number
  filesTotal: number
  /** files found complete from an earlier run and kept */
  filesKept: number
  bytesDone: number
  bytesTotal: number
  /** bytes written per second by this run so far */
  bytesPerSecond: number
  /** seconds left at the current rate; undefined until something was written */
  etaSeconds: number | undefined
}

/**
 * A datagen's progress as its writers finish files, the same for files and objects: what was kept from
 * an earlier run counts as done from the start, and the rate and ETA are this run's own writing.
 */
export class DatagenTally {
  private readonly progress: DatagenProgress
  private readonly started = performance.now()
  bytesWritten = 0

  constructor(plan: {filesTotal: number; filesKept: number; bytesTotal: number; bytesPending: number}, private readonly onProgress?: (progress: DatagenProgress) => void) {
    this.progress = {
      filesDone: plan.filesKept, filesTotal: plan.filesTotal, filesKept: plan.filesKept, bytesDone: plan.bytesTotal - plan.bytesPending, bytesTotal: plan.bytesTotal,
      bytesPerSecond: 0, etaSeconds: plan.filesKept === plan.filesTotal ? 0 : undefined,
    }
    onProgress?.({...this.progress})
  }

  fileWritten(bytes: number): void {
    const {progress} = this
    this.bytesWritten += bytes
    progress.filesDone++
    progress.bytesDone += bytes
    progress.bytesPerSecond = this.bytesWritten / ((performance.now() - this.started) / 1000)
    progress.etaSeconds = (progress.bytesTotal - progress.bytesDone) / progress.bytesPerSecond
    this.onProgress?.({...progress})
  }
}
