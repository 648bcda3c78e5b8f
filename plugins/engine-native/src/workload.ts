/**
 * The shared workload contract, re-exported for this plugin's modules so the
 * import path lives in one place.
 */
export type {DlioDataset, DlioWorkload, ParquetColumn, ParquetDtype} from '../../../src/workload/dlio-workload.js'
