import {basename} from 'node:path'
import type {LoadedRun} from '../verify/loaded-run.js'

const LEAF_TIMESTAMP = /^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})/

/**
 * A run as charts name it: when it ran, "2026-12-01\n12:39:19" (date over time), so a bar says which
 * leaf it is and runs of different days are told apart; "run 3" said neither. The leaf's own name
 * is the timestamp the tool gave it (in the controller's time zone, as written); a leaf named
 * otherwise falls back to the record's start, then to the position.
 */
export function runLabel(run: Pick<LoadedRun, 'path' | 'startedAt'>, index: number): string {
  const stamp = LEAF_TIMESTAMP.exec(basename(run.path))
  if (stamp) return `${stamp[1]}-${stamp[2]}-${stamp[3]}\n${stamp[4]}:${stamp[5]}:${stamp[6]}`
  if (run.startedAt && !Number.isNaN(run.startedAt.getTime())) {
    const iso = run.startedAt.toISOString()
    return `${iso.slice(0, 10)}\n${iso.slice(11, 19)}Z`
  }
  return `run ${index + 1}`
}
