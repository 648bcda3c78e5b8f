import {MlpsError} from '../errors.js'

const UNITS: Record<string, number> = {'': 1, b: 1, k: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gib: 2 ** 30}

/** "100MiB", "512k", "1048576" → bytes (binary units); bad input names the flag. */
export function parseSize(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim())
  const unit = match ? UNITS[match[2].toLowerCase()] : undefined
  if (!match || unit === undefined) throw new MlpsError(`"${text}" is not a size`, {where: flag, fix: 'write it as bytes or with K, M or G (binary units), e.g. 100M'})
  return Math.floor(Number(match[1]) * unit)
}
