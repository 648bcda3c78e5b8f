import type {RulesEdition, Severity} from 'mlps'
import {checkpointingRules} from './checkpointing-rules.js'
import {trainingRules} from './training-rules.js'

const rules = [...trainingRules, ...checkpointingRules]

/** R 2.1.17: the first of the 6 training invocations is the warm-up; it never counts (rules.md §4 item 11). */
const withoutWarmup: RulesEdition['countedRuns'] = group => group.benchmark === 'training' ? group.runs.slice(1) : group.runs

/**
 * Where the round as published judged more leniently than the rules as
 * corrected afterwards (rules.md §2.3 "Severity", §5: 4.3.4, 4.7.1 and
 * 3.3.1 were warnings in the v3.0 round and errors after it).
 */
const AS_PUBLISHED: Readonly<Record<string, Severity>> = {
  '3.3.1 trainingRunDataMatchesDatasize': 'warn',
  '4.3.4 checkpointAggregateAcceleratorMemory': 'warn',
  '4.7.1 checkpointWriteReadGap': 'warn',
}

export const editionV3: RulesEdition = {
  name: '3.0',
  description: 'MLPerf Storage v3.0 as enforced in the round (3.3.1, 4.3.4 and the 4.7.1 gap are warnings)',
  rules, severities: AS_PUBLISHED, options: {ranksPerHost: 'more-than-4'}, countedRuns: withoutWarmup,
}

export const editionV3Corrected: RulesEdition = {
  name: '3.0-corrected',
  description: 'MLPerf Storage v3.0 with the post-round corrections (3.3.1, 4.3.4 and the 4.7.1 gap are errors)',
  rules, options: {ranksPerHost: 'more-than-4'}, countedRuns: withoutWarmup,
}
