import {randomFillSync} from 'node:crypto'
import type {DecodedArray} from 'hyparquet'

import type {ParquetColumn} from '../workload.js'
import {DTYPE_BYTES} from './parquet-columns.js'

/**
 * Reused per-column arrays for one row group, refilled with fresh random
 * values for each group. `random: false` leaves them zeroed: used to measure
 * a file's size, which with PLAIN encoding and no statistics does not depend
 * on the values.
 */
export class RowGroupData {
  private readonly arrays: Map<string, {values: DecodedArray; fill: () => void}> = new Map()

  constructor(columns: readonly ParquetColumn[], private readonly rows: number, private readonly random: boolean) {
    for (const column of columns) this.arrays.set(column.name, this.allocate(column))
  }

  /** Column values for the first `rows` rows, refreshed when random. */
  values(column: ParquetColumn, rows: number): DecodedArray {
    const entry = this.arrays.get(column.name) as {values: DecodedArray; fill: () => void}
    if (this.random) entry.fill()
    return rows === this.rows ? entry.values : entry.values.slice(0, rows)
  }

  private allocate(column: ParquetColumn): {values: DecodedArray; fill: () => void} {
    const rows = this.rows
    if (column.size > 1) {
      const rowBytes = column.size * DTYPE_BYTES[column.dtype]
      const bytes = new Uint8Array(rows * rowBytes)
      const values = Array.from({length: rows}, (_, r) => bytes.subarray(r * rowBytes, (r + 1) * rowBytes))
      return {values, fill: () => randomFillSync(bytes)}
    }
    switch (column.dtype) {
      case 'float32': {
        const values = new Float32Array(rows)
        return {values, fill: () => randomFillSync(values)}
      }
      case 'float64': {
        const values = new Float64Array(rows)
        return {values, fill: () => randomFillSync(values)}
      }
      case 'int64': {
        const values = new BigInt64Array(rows)
        return {values, fill: () => randomFillSync(values)}
      }
      case 'int32': {
        const values = new Int32Array(rows)
        return {values, fill: () => randomFillSync(values)}
      }
      case 'float16': {
        // hyparquet-writer takes float16 values as numbers; uniform in [-1, 1) like numpy's random floats.
        const values = new Float32Array(rows)
        const source = new Uint16Array(rows)
        return {values, fill: () => {
          randomFillSync(source)
          for (let r = 0; r < rows; r++) values[r] = source[r] / 32768 - 1
        }}
      }
      case 'int8':
      case 'int16':
      case 'uint8': {
        const values = new Int32Array(rows)
        const source = column.dtype === 'int8' ? new Int8Array(rows) : column.dtype === 'int16' ? new Int16Array(rows) : new Uint8Array(rows)
        return {values, fill: () => {
          randomFillSync(source)
          for (let r = 0; r < rows; r++) values[r] = source[r]
        }}
      }
    }
  }
}
