/** The shared workload contract (core `src/workload/dlio-workload.ts`), imported in one place. */
export type {DlioDataset, DlioWorkload, ParquetColumn, ParquetDtype} from 'mlps'
