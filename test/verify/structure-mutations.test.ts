import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse, stringify} from 'yaml'
import {describeMutations, type Mutation} from './mutation-harness.js'
import {writeValidTree} from './valid-tree.js'

const SYSTEM = 'closed/acme/systems/sys1.yaml'
const system = (change: (value: any) => void) => (root: string) => {
  const file = join(root, SYSTEM)
  const value = parse(readFileSync(file, 'utf8'))
  change(value)
  writeFileSync(file, stringify(value))
}
const capabilities = (change: (value: any) => void) => system(value => change(value.system_under_test.solution.capabilities))

const MUTATIONS: Record<string, Mutation> = {
  'an availability the schema does not know': {rule: 'SCHEMA3 systemYamlSchema', becomes: 'INVALID', change: system(value => {
    value.system_under_test.solution.availability = 'soon'
  })},
  'no clients': {rule: 'SCHEMA3 systemYamlSchema', becomes: 'INVALID', change: system(value => {
    delete value.system_under_test.clients
  })},
  'on-prem remote storage without product nodes': {rule: 'SCHEMA3 systemYamlSchema', becomes: 'INVALID', change: system(value => {
    delete value.system_under_test.product_nodes
  })},
  'multi_host undeclared': {rule: '4.7.4 systemCapabilitiesDeclared', becomes: 'INVALID', change: capabilities(value => {
    delete value.multi_host
  })},
  'simultaneous read and write with a remap time': {rule: 'SCHEMA3.13 systemRemapConsistency', becomes: 'INVALID', change: capabilities(value => {
    value.remap_time_in_seconds = 30
  })},
  'a remapping system whose read followed the write too soon': {rule: '4.7.3 checkpointRemapTime', becomes: 'INVALID', change: capabilities(value => {
    value.simultaneous_write = false
    value.remap_time_in_seconds = 40
  })},
  'a submitter name with a space': {rule: '2.1.1 submitterDirectoryName', becomes: 'INVALID', change: root => renameSync(join(root, 'closed/acme'), join(root, 'closed/acme corp'))},
  'a capitalised division folder': {rule: '2.1.2 divisionDirectoryName', becomes: 'INVALID', change: root => renameSync(join(root, 'closed'), join(root, 'Closed'))},
  'a code/ folder beside results/': {rule: '2.1.5 submitterDirectoryContents', becomes: 'INVALID', change: root => mkdirSync(join(root, 'closed/acme/code'))},
  'a supplementary PDF without a YAML': {rule: '2.1.7 systemDescriptionFiles', becomes: 'INVALID', change: root => writeFileSync(join(root, 'closed/acme/systems/network-diagram.pdf'), '%PDF-1.4\n%%EOF\n')},
  'a v1.0-style JSON system description': {rule: '2.1.7 systemDescriptionFiles', becomes: 'INVALID', change: root => writeFileSync(join(root, 'closed/acme/systems/sys1.json'), '{}')},
  'the system described under another spelling': {rule: '2.1.8 systemNamesMatchResults', becomes: 'INVALID', change: root => {
    for (const extension of ['yaml', 'pdf']) renameSync(join(root, `closed/acme/systems/sys1.${extension}`), join(root, `closed/acme/systems/SYS1.${extension}`))
  }},
  'a folder that is not a benchmark': {rule: '2.1.27 submissionLayout', becomes: 'INVALID', change: root => mkdirSync(join(root, 'closed/acme/results/sys1/inference'))},
  'a run folder named run_1': {rule: '2.1.13 timestampDirectoryName', becomes: 'INVALID', change: root => {
    const workload = join(root, 'closed/acme/results/sys1/checkpointing/llama3-8b/run')
    renameSync(join(workload, '20250110_120000'), join(workload, 'run_1'))
  }},
}

describeMutations('rules-v3 system description and submission structure mutation tests (synthetic valid v3.0 tree)', writeValidTree, MUTATIONS)
