import {type AnyRule, type RuleOutcome, type SystemDescription} from 'mlps'
import {defineRule, fail, notEvaluable, pass} from 'mlps/unstable'
import {toNumber} from './facts.js'
import {placeholdersIn, underPlaceholder} from './system-placeholders.js'
import {capabilitiesOf, SystemDescriptionSchema} from './system-schema.js'

// System description rules of the v3.0 editions (rules.md §2.2, SCHEMA3 and its cross-field "Rule 13";
// R 4.7.3–4.7.4). They judge the YAML; a JSON, PDF or Markdown file is rule 2.1.7's business.

const isYaml = (system: SystemDescription) => system.format === 'yaml'
const unparsed = (system: SystemDescription) => notEvaluable(`${system.path}: the YAML could not be parsed`, {evidence: [{file: system.path}], fix: 'fix the YAML syntax (the loader names the problem)'})

export const systemYamlSchema = defineRule({
  id: 'SCHEMA3 systemYamlSchema',
  scope: 'system',
  title: 'the system YAML follows the v3.0 schema (solution, architecture, availability, capacity, deployment, nodes and clients)',
  source: 'rules.md §2.2 "v3.0 YAML" (SCHEMA3 @2b1618f, review additions usable_capacity_tib and availability, AP3)',
  severity: 'error',
  check(system) {
    if (!isYaml(system)) return pass()
    if (system.data === undefined) return unparsed(system)
    const parsed = SystemDescriptionSchema.safeParse(system.data)
    // a placeholder is named by its own rule, once; the schema speaks of what is wrong besides
    const issues = parsed.success ? [] : parsed.error.issues.filter(issue => !underPlaceholder(system.data, issue.path))
    if (issues.length === 0) return pass()
    return issues.slice(0, 20).map(issue => {
      const path = issue.path.map(String).join('.')
      return fail(`${system.path}: ${path || '(root)'}: ${issue.message}`, {evidence: [{file: system.path, path: path || undefined}], fix: 'fill the field as rules.md §2.2 describes (mlpstorage_py/system_description/schema.yaml)'})
    })
  },
})

export const systemCapabilities = defineRule({
  id: '4.7.4 systemCapabilitiesDeclared',
  scope: 'system',
  title: 'the system YAML declares multi_host, simultaneous_write, simultaneous_read (booleans) and remap_time_in_seconds (an integer ≥ 0)',
  source: 'rules.md §1.2 and §2.2 (R 4.7.4 spells them shared_capabilities.*; SCHEMA3 uses solution.capabilities.*, §4 item 12)',
  severity: 'error',
  check(system) {
    if (!isYaml(system)) return pass()
    if (system.data === undefined) return unparsed(system)
    const capabilities = capabilitiesOf(system.data)
    const where = 'system_under_test.solution.capabilities'
    if (!capabilities) return fail(`${system.path}: no ${where}`, {evidence: [{file: system.path, path: where}], fix: 'declare multi_host, simultaneous_write, simultaneous_read and remap_time_in_seconds'})
    const outcomes: RuleOutcome[] = []
    for (const key of ['multi_host', 'simultaneous_write', 'simultaneous_read'] as const) {
      if (typeof capabilities[key] !== 'boolean' && !underPlaceholder(capabilities, [key])) outcomes.push(fail(`${system.path}: ${where}.${key} must be true or false`, {evidence: [{file: system.path, path: `${where}.${key}`, value: capabilities[key]}]}))
    }
    const remap = capabilities.remap_time_in_seconds
    if ((typeof remap !== 'number' || !Number.isInteger(remap) || remap < 0) && !underPlaceholder(remap, [])) {
      outcomes.push(fail(`${system.path}: ${where}.remap_time_in_seconds must be an integer ≥ 0`, {evidence: [{file: system.path, path: `${where}.remap_time_in_seconds`, value: remap}]}))
    }
    return outcomes.length > 0 ? outcomes : pass()
  },
})

export const systemPlaceholders = defineRule({
  id: 'SCHEMA3 systemPlaceholders',
  scope: 'system',
  title: 'every value the generated system description left for the submitter is filled in',
  source: 'rules.md §2.2 "v3.0 YAML" (mlpstorage-spec.md §2.14: the description is generated from the clients\' facts; the rest is the submitter\'s)',
  severity: 'error',
  check(system) {
    if (!isYaml(system)) return pass()
    if (system.data === undefined) return unparsed(system)
    const open = placeholdersIn(system.data)
    if (open.length === 0) return pass()
    return open.map(({path, what}) => fail(`${system.path}: ${path} is still a placeholder`, {
      evidence: [{file: system.path, path}], fix: `fill in ${what}`,
    }))
  },
})

export const systemRemapConsistency = defineRule({
  id: 'SCHEMA3.13 systemRemapConsistency',
  scope: 'system',
  title: 'simultaneous read and write ⇒ no remapping time; a system that cannot do both must declare one',
  source: 'rules.md §2.2 (cross-field "Rule 13", SC system_yaml_schema_checks.py)',
  severity: 'error',
  check(system) {
    if (!isYaml(system)) return pass()
    const capabilities = capabilitiesOf(system.data)
    const {simultaneous_read: read, simultaneous_write: write, remap_time_in_seconds: remap} = capabilities ?? {}
    if (typeof read !== 'boolean' || typeof write !== 'boolean' || typeof remap !== 'number') return notEvaluable(`${system.path}: the capabilities are incomplete (rule 4.7.4 names what is missing)`)
    const evidence = [{file: system.path, path: 'system_under_test.solution.capabilities', value: {simultaneous_read: read, simultaneous_write: write, remap_time_in_seconds: remap}}]
    if (read && write && remap !== 0) return fail(`${system.path}: reads and writes simultaneously, yet declares ${remap} s of remapping`, {evidence, fix: 'set remap_time_in_seconds: 0'})
    if ((!read || !write) && remap === 0) return fail(`${system.path}: cannot read and write simultaneously, yet declares no remapping time`, {evidence, fix: 'declare the time the failover remapping takes'})
    return pass()
  },
})

/** R 4.7.3: SC fails when the observed write-end → read-start interval is below half the declared remap time. */
export const REMAP_OBSERVED_FRACTION = 0.5

export const checkpointRemapTime = defineRule({
  id: '4.7.3 checkpointRemapTime',
  scope: 'group',
  title: 'a remapping system shows its declared remap time between the write and the read invocation',
  source: 'rules.md §1.2 (R 4.7.3, CK3; SC fails when write-end → read-start < 0.5 × remap_time_in_seconds)',
  severity: 'error',
  benchmarks: ['checkpointing'],
  check(group, context) {
    const system = context.tree.systems.find(candidate => isYaml(candidate) && candidate.name === group.system && candidate.organization === group.organization && candidate.division === group.division)
    if (!system) return notEvaluable(`${group.path}: no systems/${group.system ?? '<system>'}.yaml to read remap_time_in_seconds from`, {fix: 'add the system description YAML beside results/'})
    const remap = toNumber(capabilitiesOf(system.data)?.remap_time_in_seconds)
    if (remap === undefined) return notEvaluable(`${system.path}: no remap_time_in_seconds (rule 4.7.4)`)
    if (remap === 0) return pass()
    if (group.runs.length !== 2) return notEvaluable(`${group.path}: ${remap} s remap time declared, but the write and the read ran in ${group.runs.length} invocation(s), so no remap interval can be observed`)
    const [write, read] = group.runs
    if (!write.endedAt || !read.startedAt) return notEvaluable(`${group.path}: the write end or the read start time is unknown`)
    const gap = (read.startedAt.getTime() - write.endedAt.getTime()) / 1000
    if (gap >= REMAP_OBSERVED_FRACTION * remap) return pass()
    return fail(`${group.path}: the read started ${gap.toFixed(1)} s after the write ended; the system declares ${remap} s of remapping (at least ${REMAP_OBSERVED_FRACTION * remap} s expected)`, {
      evidence: [{file: system.path, path: 'system_under_test.solution.capabilities.remap_time_in_seconds', value: remap}, {file: read.path, path: 'start', value: read.startedAt.toISOString()}],
      fix: 'remap between the write and the read invocation, or correct remap_time_in_seconds',
    })
  },
})

export const systemRules: readonly AnyRule[] = [systemYamlSchema, systemPlaceholders, systemCapabilities, systemRemapConsistency, checkpointRemapTime]
