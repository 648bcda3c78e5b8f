import type {AnyRule, LoadedTree, RuleOutcome} from 'mlps'
import {defineRule, fail, pass} from 'mlps/unstable'
import {missingDlioResultFiles, throughputPossible, trainingThroughputBound} from '@mlps/result-formats'

// What a v1.0 result is made of (rules.md §2.1 v1.0 layout: `systems/<sys>.json`, and per run
// and host `summary.json` and `per_epoch_stats.json`), and the figures DLIO can produce.

export const v1ResultFiles = defineRule({
  id: 'v1 resultFiles',
  scope: 'run',
  title: "every folder of a run holding DLIO's results holds both summary.json and per_epoch_stats.json",
  source: 'rules.md §2.1 v1.0 layout (run<n>/<host>/{per_epoch_stats.json, summary.json})',
  severity: 'error',
  benchmarks: ['training'],
  commands: ['run'],
  check(run) {
    const missing = missingDlioResultFiles(run)
    if (missing.length === 0) return pass()
    return fail(`${run.path}: ${missing.join(', ')} missing; without DLIO's own results the run cannot count`, {
      kind: 'input', evidence: missing.map(file => ({file: `${run.path}/${file}`})), fix: 'restore the files DLIO wrote for this run, or remove the run folder',
    })
  },
})

export const v1TrainingThroughputPossible = defineRule({
  id: 'v1 trainingThroughputPossible',
  scope: 'run',
  title: 'samples/s is at most accelerators × batch / computation_time (100 % AU), and MiB/s is samples/s × the record length',
  source: 'rules.md §1.1 (V1 report.py reads these figures from summary.json); engines.md §2.2',
  severity: 'error',
  benchmarks: ['training'],
  commands: ['run'],
  check: throughputPossible(trainingThroughputBound, 'the summary was edited or corrupted after the run: restore it from the published result'),
})

/**
 * The organization's systems/ folder is in view (`Closed/<org>/systems`, or
 * as Volumez published it, under results/<system>/): a copy of the results
 * alone describes no system, and is not judged for it.
 */
function systemsInView(tree: LoadedTree, organization: string): boolean {
  return tree.listing.folders.some(folder => {
    const parts = folder.split('/')
    const at = parts.findIndex((part, index) => part === organization && /^(closed|open)$/i.test(parts[index - 1] ?? ''))
    return at > 0 && parts.at(-1) === 'systems'
  })
}

export const v1SystemDescription = defineRule({
  id: 'v1 systemDescription',
  scope: 'submission',
  title: 'each results/<system>/ has a readable systems/<system>.json',
  source: 'rules.md §2.1 v1.0 layout (`systems/<sys>.pdf+.json`)',
  severity: 'error',
  check(tree) {
    const outcomes: RuleOutcome[] = []
    const judged = new Set<string>()
    for (const group of tree.groups) {
      if (group.runs.length === 0 || !group.organization || !group.system || !systemsInView(tree, group.organization)) continue
      const key = `${group.organization}/${group.system}`
      if (judged.has(key)) continue
      judged.add(key)
      // v1.0 as published: `.JSON`, a lower-case name (Volumez), systems/ inside results/<system>/, one file that is not valid JSON (Micron)
      const description = tree.systems.find(system => system.organization === group.organization && system.format === 'json' && system.name.toLowerCase() === group.system!.toLowerCase())
      if (!description) {
        outcomes.push(fail(`${group.organization}: results/${group.system}/ has no systems/${group.system}.json describing its system`, {
          evidence: [{file: group.path}], fix: `restore systems/${group.system}.json (the system description published with the result)`,
        }))
      } else if (!description.data || typeof description.data !== 'object') {
        outcomes.push(fail(`${description.path}: the system description of results/${group.system}/ cannot be read`, {
          kind: 'input', evidence: [{file: description.path}], fix: 'restore the file published with the result',
        }))
      }
    }
    return outcomes.length > 0 ? outcomes : pass()
  },
})

export const v1ResultFileRules: readonly AnyRule[] = [v1ResultFiles, v1TrainingThroughputPossible, v1SystemDescription]
