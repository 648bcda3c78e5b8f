import {readdir} from 'node:fs/promises'
import {join} from 'node:path'

/**
 * The DLIO files of one run folder, whichever DLIO wrote them (engines.md §2.1, §2.8): v1.0 wrote
 * `per_epoch_stats.json` and the hydra copies in `configs/`; v2.0 and v3.0 write
 * `<rank>_per_epoch_stats.json`, `<rank>_output.json` and `dlio_config/`. Paths are absolute.
 */
export interface DlioRunFiles {
  dir: string
  summary?: string
  /** rank → file; v1.0's single unranked file is rank undefined */
  perEpochStats: Array<{rank?: number; file: string}>
  outputs: Array<{rank: number; file: string}>
  dlioLog?: string
  /** the hydra copy folder (dlio_config, configs or .hydra) and the files found in it */
  configDir?: string
  config: {config?: string; hydra?: string; overrides?: string}
}

const CONFIG_DIRS = ['dlio_config', 'configs', '.hydra']

export async function findDlioRunFiles(dir: string): Promise<DlioRunFiles> {
  const entries = await readdir(dir, {withFileTypes: true})
  const files = entries.filter(entry => entry.isFile()).map(entry => entry.name).sort()
  const found: DlioRunFiles = {dir, perEpochStats: [], outputs: [], config: {}}
  found.summary = files.includes('summary.json') ? join(dir, 'summary.json') : files.filter(name => name.endsWith('summary.json')).map(name => join(dir, name))[0]
  for (const name of files) {
    const stats = /^(?:(\d+)_)?per_epoch_stats\.json$/.exec(name)
    if (stats) found.perEpochStats.push({rank: stats[1] === undefined ? undefined : Number(stats[1]), file: join(dir, name)})
    const output = /^(\d+)_output\.json$/.exec(name)
    if (output) found.outputs.push({rank: Number(output[1]), file: join(dir, name)})
  }
  found.perEpochStats.sort((a, b) => (a.rank ?? -1) - (b.rank ?? -1))
  found.outputs.sort((a, b) => a.rank - b.rank)
  if (files.includes('dlio.log')) found.dlioLog = join(dir, 'dlio.log')
  const configDir = CONFIG_DIRS.find(name => entries.some(entry => entry.isDirectory() && entry.name === name))
  if (configDir) {
    found.configDir = join(dir, configDir)
    const inside = new Set(await readdir(found.configDir))
    for (const key of ['config', 'hydra', 'overrides'] as const) {
      if (inside.has(`${key}.yaml`)) found.config[key] = join(found.configDir, `${key}.yaml`)
    }
  }
  return found
}
