import type {SchemaElement} from 'hyparquet'

import type {DlioDataset, ParquetColumn, ParquetDtype} from '../workload.js'

export const DTYPE_BYTES: Record<ParquetDtype, number> = {
  float16: 2, float32: 4, float64: 8, int8: 1, int16: 2, int32: 4, int64: 8, uint8: 1,
}

/** DLIO's default `parquet.row_group_size` (`parquet_generator.py`). */
export const DEFAULT_ROW_GROUP_SIZE = 1024

/**
 * Column specs for a parquet dataset. Without `dataset.parquet.columns`
 * DLIO's legacy mode writes a single `data` column of dim1·dim2 uint8 per row.
 */
export function parquetColumns(dataset: DlioDataset, legacyElementsPerRow: number): ParquetColumn[] {
  const columns = dataset.parquet?.columns
  if (columns && columns.length > 0) return columns
  return [{name: 'data', dtype: 'uint8', size: legacyElementsPerRow, read: true}]
}

/** Σ size·itemsize: DLIO v3's per-sample bytes for parquet (statscounter, engines.md §2.7). */
export function parquetRowBytes(columns: readonly ParquetColumn[]): number {
  return columns.reduce((sum, column) => sum + Math.max(1, column.size) * DTYPE_BYTES[column.dtype], 0)
}

/**
 * The parquet physical/logical type for a column. Scalars (size 1) use the
 * types pyarrow writes: FLOAT/DOUBLE, FLOAT16 as 2-byte FIXED_LEN_BYTE_ARRAY,
 * and 8/16-bit integers as annotated INT32.
 *
 * Size > 1: DLIO writes an Arrow FixedSizeList (a parquet LIST group). This
 * engine writes a FIXED_LEN_BYTE_ARRAY of size·itemsize raw little-endian
 * bytes per row instead, because hyparquet-writer encodes lists through JS
 * arrays of per-element repetition/definition levels, which for flux's
 * 524,328-float column (×288 rows per row group) would need gigabytes of JS
 * arrays per row group. The value bytes per row are the same (for int8/int16
 * lists pyarrow would widen elements to INT32, we keep the dtype width); the
 * tiny level streams are absent; readers see a binary column, not list<dtype>.
 */
export function columnSchemaElement(column: ParquetColumn): SchemaElement {
  const base = {name: column.name, repetition_type: 'REQUIRED' as const}
  if (column.size > 1) return {...base, type: 'FIXED_LEN_BYTE_ARRAY', type_length: column.size * DTYPE_BYTES[column.dtype]}
  switch (column.dtype) {
    case 'float32': return {...base, type: 'FLOAT'}
    case 'float64': return {...base, type: 'DOUBLE'}
    case 'float16': return {...base, type: 'FIXED_LEN_BYTE_ARRAY', type_length: 2, logical_type: {type: 'FLOAT16'}}
    case 'int8': return {...base, type: 'INT32', converted_type: 'INT_8', logical_type: {type: 'INTEGER', bitWidth: 8, isSigned: true}}
    case 'int16': return {...base, type: 'INT32', converted_type: 'INT_16', logical_type: {type: 'INTEGER', bitWidth: 16, isSigned: true}}
    case 'uint8': return {...base, type: 'INT32', converted_type: 'UINT_8', logical_type: {type: 'INTEGER', bitWidth: 8, isSigned: false}}
    case 'int32': return {...base, type: 'INT32'}
    case 'int64': return {...base, type: 'INT64'}
  }
}

export function parquetSchema(columns: readonly ParquetColumn[]): SchemaElement[] {
  return [{name: 'schema', num_children: columns.length}, ...columns.map(columnSchemaElement)]
}
