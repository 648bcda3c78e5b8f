import {type RulesEdition, type Severity, z} from 'mlps'
import {checkpointingRules} from './checkpointing-rules.js'
import {checkpointFilesystemSeparation, kvcacheFilesystemSeparation, vdbFilesystemSeparation} from './filesystem-rules.js'
import {systemDescriptionV3} from './system-description.js'
import {groupParameterRules} from './group-parameter-rules.js'
import {kvcacheRules} from './kvcache-rules.js'
import {readinessV3} from './readiness.js'
import {resultFileRules} from './result-file-rules.js'
import {submissionRules} from './submission-rules.js'
import {systemRules} from './system-rules.js'
import {trainingRules} from './training-rules.js'
import {vectordbRules} from './vectordb-rules.js'
import {kvRunSummaryOf} from '@mlps/result-formats'

/** The readings v3.0 leaves open (`--option key=value`): R 4.6.2 says "more than 4" ranks per host, Table 3 "minimal 4" (#866). */
const V3_OPTIONS = z.object({ranksPerHost: z.enum(['more-than-4', 'at-least-4'])})

const rules = [
  ...trainingRules, ...checkpointingRules, checkpointFilesystemSeparation, ...kvcacheRules, kvcacheFilesystemSeparation, ...vectordbRules, vdbFilesystemSeparation,
  ...systemRules, ...submissionRules, ...groupParameterRules, ...resultFileRules,
]

/**
 * The runs a workload's figures come from. Training: the 6 invocations
 * without the first, the warm-up (R 2.1.17; rules.md §4 item 11). KV cache:
 * the latest error-free run, as the v3.0 tables chose it (rules.md §1.3, §4
 * item 15: complete, `partial_failure` false).
 */
const countedRuns: RulesEdition['countedRuns'] = group => {
  if (group.benchmark === 'training') return group.runs.slice(1)
  if (group.benchmark === 'kv_cache') {
    const errorFree = group.runs.filter(run => run.status === 'COMPLETED' && kvRunSummaryOf(run) !== undefined && kvRunSummaryOf(run)?.partial_failure !== true)
    return errorFree.slice(-1)
  }
  return group.runs
}

/**
 * Where the round as published judged more leniently than the rules as
 * corrected afterwards (rules.md §2.3 "Severity", §5: 4.3.4, 4.7.1 and
 * 3.3.1 were warnings in the v3.0 round and errors after it).
 */
const AS_PUBLISHED: Readonly<Record<string, Severity>> = {
  '3.3.1 trainingRunDataMatchesDatasize': 'warn',
  '4.3.4 checkpointAggregateAcceleratorMemory': 'warn',
  '4.7.1 checkpointWriteReadGap': 'warn',
  // mlpstorage's v3.0 kvcache run defaulted to 20 s between options and the KV-cache checker was a stub (rules.md §1.3)
  '6.3.2.1 kvcacheInterOptionDelay': 'warn',
}

export const editionV3: RulesEdition = {
  name: '3.0',
  description: 'MLPerf Storage v3.0 as enforced in the round (3.3.1, 4.3.4, the 4.7.1 gap and the KV-cache inter-option delay are warnings)',
  rules, severities: AS_PUBLISHED, options: {ranksPerHost: 'more-than-4'}, optionsSchema: V3_OPTIONS, countedRuns, systemDescription: systemDescriptionV3, readiness: readinessV3,
}

export const editionV3Corrected: RulesEdition = {
  name: '3.0-corrected',
  description: 'MLPerf Storage v3.0 with the post-round corrections (3.3.1, 4.3.4, the 4.7.1 gap and the KV-cache inter-option delay are errors)',
  rules, options: {ranksPerHost: 'more-than-4'}, optionsSchema: V3_OPTIONS, countedRuns, systemDescription: systemDescriptionV3, readiness: readinessV3,
}
