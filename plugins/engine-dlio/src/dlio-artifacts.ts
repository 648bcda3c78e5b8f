import {stat} from 'node:fs/promises'
import {relative} from 'node:path'
import {MlpsError} from 'mlps'
import {type DlioRunFiles, type DlioSummary, findDlioRunFiles, readDlioSummary, readPerEpochStats} from '@mlps/result-formats'

export interface ArtifactCheck {
  files: DlioRunFiles
  /** what should be there and is not, or is there and cannot be read; relative to the leaf */
  missing: string[]
  summary?: DlioSummary
}

async function nonEmpty(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size > 0
  } catch {
    return false
  }
}

/**
 * What DLIO must have left in the leaf (engines.md §2.1, Rules 2.1.14/2.1.19/2.1.25): the hydra copies
 * in dlio_config/ always; for a run that trains or checkpoints also a parseable summary.json and one
 * `<rank>_per_epoch_stats.json` and `<rank>_output.json` per rank. A datagen leaf gets no summary.
 */
export async function checkDlioArtifacts(leaf: string, options: {numProcesses: number; expectsResults: boolean}): Promise<ArtifactCheck> {
  const files = await findDlioRunFiles(leaf)
  const missing: string[] = []
  for (const name of ['config', 'hydra', 'overrides'] as const) {
    if (!files.config[name]) missing.push(`dlio_config/${name}.yaml`)
  }
  let summary: DlioSummary | undefined
  if (options.expectsResults) {
    if (files.summary) {
      try {
        summary = await readDlioSummary(files.summary)
      } catch (error) {
        missing.push(`summary.json (unreadable: ${error instanceof MlpsError ? error.message : (error as Error).message})`)
      }
    } else {
      missing.push('summary.json')
    }
    for (let rank = 0; rank < options.numProcesses; rank++) {
      const stats = files.perEpochStats.find(entry => entry.rank === rank)
      if (!stats) {
        missing.push(`${rank}_per_epoch_stats.json`)
      } else {
        try {
          await readPerEpochStats(stats.file)
        } catch (error) {
          missing.push(`${relative(leaf, stats.file)} (unreadable: ${(error as Error).message})`)
        }
      }
      const output = files.outputs.find(entry => entry.rank === rank)
      if (!output || !await nonEmpty(output.file)) missing.push(`${rank}_output.json${output ? ' (empty)' : ''}`)
    }
  }
  return {files, missing, summary}
}

/** A short list for a status reason: the first few names and a count of the rest. */
export function describeMissing(missing: readonly string[], shown = 6): string {
  return missing.length <= shown ? missing.join(', ') : `${missing.slice(0, shown).join(', ')} and ${missing.length - shown} more`
}
