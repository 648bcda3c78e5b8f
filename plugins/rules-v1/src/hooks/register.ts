import type {PluginContribution} from 'mlps'
import {v1ResultFileRules} from '../result-file-rules.js'
import {trainingRules} from '../training-rules.js'

export default async function register(): Promise<PluginContribution> {
  return {
    apiVersion: 1,
    rulesEditions: [{
      name: '1.0',
      description: 'MLPerf Storage v1.0 (training: 5 runs, no warm-up, AU verdict, identical runs)',
      rules: [...trainingRules, ...v1ResultFileRules],
      // v1.0 had no warm-up: every one of the 5 runs counts
      countedRuns: group => group.runs,
    }],
  }
}
