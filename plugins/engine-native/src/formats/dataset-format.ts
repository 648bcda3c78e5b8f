/** What each emulated dataset format provides to datagen and to the training run. */
export interface SampleReader {
  /** Reads one sample with DLIO's granularity for the format; returns the bytes read. */
  readSample(file: string, sampleIndex: number): number
  /** Closes whatever the reader keeps open between samples. */
  close(): void
}

export interface DatasetFormat {
  readonly extension: string
  /**
   * True when a dataset DLIO generated has exactly the planned sizes (npz,
   * tfrecord), so a run may reject files shorter than planned before
   * starting. Formats whose DLIO files differ (PIL-encoded JPEG, pyarrow
   * parquet) are checked structurally by their readers instead.
   */
  readonly plannedSizesMatchDlio: boolean
  /** Exact size of train file `fileIndex` as `writeFile` produces it; the same on every run. */
  plannedFileSize(fileIndex: number): number
  /** Writes train file `fileIndex` to `fd` (opened for writing, empty) using `scratch` as the reused buffer. */
  writeFile(fd: number, fileIndex: number, scratch: Buffer): void
  /** `scratch` is page-aligned and a multiple of 4 KiB long, so readers may use it for O_DIRECT. */
  createSampleReader(scratch: Buffer, options?: SampleReaderOptions): SampleReader
}

export interface SampleReaderOptions {
  /**
   * `reader.odirect`: read with O_DIRECT, past the page cache. DLIO has
   * O_DIRECT readers for npz (and npy) only; formats without one read buffered.
   */
  direct?: boolean
}

/** Formats whose readers honour `SampleReaderOptions.direct`. */
export const DIRECT_READ_FORMATS: readonly string[] = ['npz']
