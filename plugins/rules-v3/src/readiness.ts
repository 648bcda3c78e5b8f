import type {Finding, ReadinessNeed} from 'mlps'
import {CHECKPOINTS_PER_DIRECTION, reads, writes} from './checkpointing-rules.js'
import {TRAINING_RUNS} from './training-rules.js'

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`
const leaves = (count: number) => `${count} ${count === 1 ? 'leaf' : 'leaves'}`

/** every distinct place in a file a finding points at: a field to fill */
const fieldsOf = (findings: readonly Finding[]) =>
  new Set(findings.flatMap(finding => (finding.evidence ?? []).map(evidence => `${evidence.file ?? ''}#${evidence.path ?? finding.message}`)))

/** What the v3.0 rules' findings say is still to be done, as `mlps status` prints it. */
export const readinessV3: readonly ReadinessNeed[] = [
  {scope: 'group', rules: ['2.1.17'], describe: ({group}) => `${group?.runs.length ?? 0} of ${TRAINING_RUNS} runs`},
  {scope: 'group', rules: ['4.7.1 checkpointInvocationStructure'], describe({group}) {
    const shape = (group?.runs ?? []).map(run => [writes(run).value, reads(run).value])
    const n = CHECKPOINTS_PER_DIRECTION
    if (shape.length === 0) return 'no write or read invocation'
    if (shape.length === 1 && shape[0][0] === n && shape[0][1] === 0) return 'read invocation missing'
    if (shape.length === 1 && shape[0][0] === 0 && shape[0][1] === n) return 'write invocation missing'
    return `${plural(shape.length, 'invocation')} with writes/reads ${shape.map(([w, r]) => `${w ?? '?'}/${r ?? '?'}`).join(', ')}; expected ${n}/${n}, or ${n}/0 then 0/${n}`
  }},
  {scope: 'group', rules: ['6.3.1', '6.3.2 kvcacheTrialsPerOption'], describe: ({findings}) => findings.map(finding => finding.message)},
  {scope: 'group', rules: ['5.3.1'], describe: ({group}) => `${group?.runs.length ?? 0} of 5 runs`},
  {scope: 'group', rules: ['3.4.2', '4.4.2', '5.4.2', '6.4.2'], countsNotEvaluable: true, describe({findings}) {
    const absent = findings.filter(finding => finding.notEvaluable)
    const same = findings.filter(finding => !finding.notEvaluable)
    return [
      ...absent.length > 0 ? [`fs_separation.json missing in ${leaves(absent.length)}`] : [],
      ...same.length > 0 ? [`data and results on the same filesystem in ${leaves(same.length)}`] : [],
    ]
  }},
  {scope: 'system', describe: ({findings}) => `${plural(fieldsOf(findings).size, 'field')} to fill`},
  {scope: 'submission', rules: ['2.1.8'], describe: ({findings}) => findings.map(finding => {
    const results = finding.evidence?.[0]?.file ?? ''
    const at = results.lastIndexOf('/results/')
    return at < 0 ? finding.message : `${results.slice(0, at)}/systems/${results.slice(at + '/results/'.length)}.yaml missing`
  })},
]
