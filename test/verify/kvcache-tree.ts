import {cpSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {edit} from './valid-tree.js'
import {writeSystemFiles} from './system-files.js'

// A CLOSED-shaped KV-cache submission derived from the real native run in fixtures/kvcache-native-run.
// The native engine is an emulation and can never be CLOSED, so the run record is rewritten to what a
// CLOSED kvcache-py run records (division, engine, the three options verbatim, seed 42, 3 trials,
// 90 s between options, a cache folder on the storage under test); the summary.json and the
// option_<O>/trial_<T>/rank_<N> result files stay the real ones.

const NATIVE_RUNS = join(import.meta.dirname, '../../fixtures/kvcache-native-run/open/local/results/vm/kv_cache/llama3.1-8b/run')
export const NATIVE_KV_LEAF = join(NATIVE_RUNS, readdirSync(NATIVE_RUNS)[0])
export const KV_WORKLOAD = 'closed/acme/results/sys1/kv_cache/llama3.1-8b'
export const KV_LEAF = `${KV_WORKLOAD}/run/${readdirSync(NATIVE_RUNS)[0]}`

const CLOSED_PARAMS: Record<number, Record<string, unknown>> = {
  1: {model: 'llama3.1-8b', numUsers: 200, durationSeconds: 300, gpuMemGb: 0, cpuMemGb: 0, maxConcurrentAllocs: 16, generationMode: 'none'},
  2: {model: 'llama3.1-8b', numUsers: 100, durationSeconds: 300, gpuMemGb: 0, cpuMemGb: 4, maxConcurrentAllocs: 16, generationMode: 'none'},
  3: {model: 'llama3.1-70b-instruct', numUsers: 70, durationSeconds: 300, gpuMemGb: 0, cpuMemGb: 0, maxConcurrentAllocs: 4, generationMode: 'none'},
}

export function writeValidKvTree(root: string): void {
  writeSystemFiles(root, 'closed/acme', 'sys1')
  cpSync(NATIVE_KV_LEAF, join(root, KV_LEAF), {recursive: true})
  edit(root, `${KV_LEAF}/metadata.json`, record => {
    record.division = 'closed'
    record.engine = {name: 'kvcache-py', closedEligible: true}
    record.category = 'CLOSED'
    record.findings = []
    const plan = record.parameters.effective
    for (const pass of plan.passes) pass.params = {...CLOSED_PARAMS[pass.option]}
    delete plan.maxContextTokens
    Object.assign(plan, {seedBase: 42, trialsPerOption: 3, interOptionDelaySeconds: 90, cacheDir: '/mnt/nvme/kvcache'})
    record.parameters.userOverrides = {}
    record.parameters.toolInjected = {seedBase: 42, trialsPerOption: 3, interOptionDelaySeconds: 90, ranks: plan.ranks, npernode: plan.npernode, cacheDir: '/mnt/nvme/kvcache'}
  })
}
