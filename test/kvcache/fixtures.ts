import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {repoRoot} from '../helpers/cli.js'

export const fixtureDir = join(repoRoot, 'fixtures', 'kvcache')
export const earlyNvmeOnly = join(fixtureDir, 'early-schema', 'kvcache_nvme_only_trial1.json')
export const earlyGpuCpuNvme = join(fixtureDir, 'early-schema', 'kvcache_gpu_cpu_nvme_trial1.json')
export const v3Constructed = join(fixtureDir, 'v3-constructed', 'kvcache_results_v3_constructed.json')

/** A fresh copy of a fixture document, to derive rank variants from. */
export function fixtureDocument(file: string): {summary: {cache_stats: Record<string, unknown>} & Record<string, unknown>} & Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8'))
}
