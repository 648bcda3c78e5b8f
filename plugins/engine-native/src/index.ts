/**
 * The native engine: a built-in emulation of DLIO's training read workload
 * (engines.md §6) — dataset generation and training runs that write
 * DLIO-shaped outputs. Library API; the oclif/registry wiring lives elsewhere.
 */
export {generateTrainingData} from './training/datagen.js'
export type {DatagenProgress, DatagenResult, GenerateTrainingDataOptions} from './training/datagen.js'
export {runTraining} from './training/run.js'
export type {RunTrainingOptions, TrainingProgress, TrainingResult} from './training/run.js'
export type {DlioSummaryDocument} from './training/dlio-outputs.js'
export type {TrainingMetric, BlockMetrics} from './training/dlio-metrics.js'
export {blockMetrics, populationStdev, trainingMetric} from './training/dlio-metrics.js'
export {DatasetNotReadyError} from './training/dataset-listing.js'
export {preciseSleep} from './training/precise-sleep.js'
export {formatForDataset, EMULATED_FORMATS, UnsupportedFormatError} from './formats/format-for-dataset.js'
export type {DatasetFormat, SampleReader} from './formats/dataset-format.js'
export {trainFilePath, trainFolder} from './formats/dataset-layout.js'
export {planFileDimensions, type FileDimensions} from './formats/sample-dimensions.js'
export {crc32c, maskedCrc32c} from './formats/crc32c.js'
export {parseNpyHeader, type ParsedNpyHeader} from './formats/npy-header.js'
export {parseCentralDirectory, parseEndOfCentralDirectory, type CentralDirectoryLocation, type CentralEntry} from './formats/zip-stored.js'
export {MersenneTwister} from './random/mersenne-twister.js'
export {dotProduct, TopK} from './vectordb/distance.js'
export {percentile, queryStatistics, recallStatistics, type RecallStatistics} from './vectordb/query-statistics.js'
export {VectorSource} from './vectordb/vector-source.js'
export {AbortError} from './io/abort.js'
export {InsufficientSpaceError} from './io/free-space.js'
export {TruncatedFileError} from './io/file-io.js'
