import {basename} from 'node:path'
import {type AnyRule, type Evidence, type LoadedRun} from 'mlps'
import {defineRule, fail, notEvaluable, pass} from 'mlps/unstable'
import {toNumber} from './facts.js'

/**
 * Parameters that legitimately differ between the runs of one group, by results folder. Checkpointing:
 * the two halves of a write/read pair (R 4.7.1: 10/0, then 0/10). Vector database: the query seed, which
 * the rules leave free (R 5.6.4 lists load and run parameters, not the seed). Training and KV cache have
 * none: CLOSED training cannot change its seed (R 3.6.2) and KV cache locks it to 42 (R 6.3.2).
 */
const PER_RUN_PARAMETERS: Readonly<Record<string, (key: string) => boolean>> = {
  checkpointing: key => key === 'checkpoint.num_checkpoints_write' || key === 'checkpoint.num_checkpoints_read',
  vector_database: key => /(^|\.|_)seed$/i.test(key),
}

/** What a run was run with, as dotted keys: its effective parameters, its ranks, hosts and engine. */
function settingsOf(run: LoadedRun): Map<string, string> {
  const settings = new Map<string, string>()
  const ownPaths = [run.absolutePath, run.path, basename(run.absolutePath)].filter(path => path.length > 0 && path !== '.')
  const visit = (value: unknown, key: string) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, innerValue] of Object.entries(value)) visit(innerValue, key ? `${key}.${inner}` : inner)
      return
    }
    // a path into the run's own leaf (its output folder) differs from run to run by construction
    if (typeof value === 'string' && ownPaths.some(path => value.includes(path))) return
    // `--param` values arrive as strings in some trees ("4" and 4 are the same setting)
    const number = typeof value === 'string' ? toNumber(value) : undefined
    settings.set(key, JSON.stringify(number ?? value))
  }
  visit(run.parameters, '')
  if (run.numProcesses !== undefined) settings.set('(processes)', String(run.numProcesses))
  const hosts = run.numHosts ?? run.hosts?.length
  if (hosts !== undefined) settings.set('(hosts)', String(hosts))
  if (run.engine) settings.set('(engine)', JSON.stringify(run.engine.name))
  return settings
}

function evidenceFor(run: LoadedRun, key: string, value: string | undefined): Evidence {
  const fromRecord = !key.startsWith('(')
  return {
    file: run.sources.record ?? run.sources.metadata ?? run.path,
    path: fromRecord ? `${run.sources.record ? 'parameters.effective' : 'parameters'}.${key}` : key.slice(1, -1),
    value: value === undefined ? undefined : JSON.parse(value),
  }
}

export const groupSameParameters = defineRule({
  id: '2.1.17 groupSameParameters',
  scope: 'group',
  title: 'every run of a workload uses the same parameters (what legitimately differs per run aside)',
  source: 'rules.md §1.1 (R 2.1.17 "invocations of the same workload"), §5 ("identical config across runs"); mlpstorage-spec.md §8.6 (check_run_consistency)',
  severity: 'error',
  check(group) {
    if (group.runs.length < 2) return pass()
    const described = group.runs.filter(run => Object.keys(run.parameters).length > 0)
    if (described.length < group.runs.length) {
      const bare = group.runs.filter(run => !described.includes(run))
      return notEvaluable(`${group.path}: ${bare.map(run => run.path).join(', ')} record${bare.length > 1 ? '' : 's'} no parameters to compare`, {
        evidence: bare.map(run => ({file: run.path})), fix: "keep each run's metadata (its parameters)",
      })
    }
    const legitimate = (group.benchmark && PER_RUN_PARAMETERS[group.benchmark]) || (() => false)
    const settings = group.runs.map(settingsOf)
    const keys = [...new Set(settings.flatMap(run => [...run.keys()]))].filter(key => !legitimate(key)).sort()
    const differing = keys.filter(key => new Set(settings.map(run => run.get(key))).size > 1)
    if (differing.length === 0) return pass()
    return differing.map(key => {
      const byValue = new Map<string, string[]>()
      for (const [i, run] of group.runs.entries()) {
        const value = settings[i].get(key) ?? 'not set'
        byValue.set(value, [...byValue.get(value) ?? [], basename(run.path)])
      }
      const spread = [...byValue].map(([value, runs]) => `${value} in ${runs.join(', ')}`).join('; ')
      return fail(`${group.path}: its runs differ in ${key}: ${spread}`, {
        evidence: group.runs.map((run, i) => evidenceFor(run, key, settings[i].get(key))),
        fix: 'submit runs made with the same parameters (`mlps <benchmark> campaign` runs them so); move the odd runs out of the group',
      })
    })
  },
})

export const groupParameterRules: readonly AnyRule[] = [groupSameParameters]
