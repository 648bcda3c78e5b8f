import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {cpSync, existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {placeholdersIn} from '@mlps/plugin-rules-v3'
import type {RunRecord} from 'mlps/unstable'
import {parse} from 'yaml'
import {requireEngines} from '../engines-real/engines.js'
import {parseJson, runCli, tempDir} from '../helpers/cli.js'
import {cannotBuild, type NativeCampaignTree, nativeCampaignTree, SYSTEM} from './native-campaign-tree.js'
import {SMALL_HOST_MEMORY_BYTES} from './small-client-host.js'

// Issue 16's end to end: from an empty results dir to a tree `mlps verify --edition 3.0` accepts, on the
// native engine (built CLI; the tree is made in native-campaign-tree.ts).

interface Finding {ruleId: string; severity: string; message: string; notEvaluable?: boolean; evidence?: Array<{file?: string; path?: string; value?: unknown}>}
interface Verified {category: string; findings: Finding[]}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex')

/** every file verify counts (all but .mlps/), with its checksum */
function countedFiles(root: string): string[] {
  return readdirSync(root, {recursive: true, withFileTypes: true})
    .filter(entry => entry.isFile())
    .map(entry => relative(root, join(entry.parentPath, entry.name)))
    .filter(path => !path.startsWith('.mlps/'))
    .sort()
    .map(path => `${path} ${sha256(readFileSync(join(root, path)))}`)
}

/** what verify says beyond passes: "severity ruleId" → count (not-evaluable ones marked so) */
function tally(findings: readonly Finding[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const finding of findings.filter(f => f.severity !== 'info')) {
    const key = `${finding.severity} ${finding.ruleId}${finding.notEvaluable ? ' (not evaluable)' : ''}`
    counts[key] = (counts[key] ?? 0) + 1
  }
  return counts
}

describe('from an empty results dir to a tree verify --edition 3.0 accepts (built CLI, native engine; root)', function () {
  this.timeout(900_000) // two campaigns on a 2-core machine shared many times over
  let tree: NativeCampaignTree
  const copies = tempDir('mlps-e2e-copies-')
  const verify = async (root: string) => {
    const result = await runCli(['verify', root, '--edition', '3.0', '--json'], {env: tree.env})
    return {exitCode: result.exitCode, ...parseJson<Verified>(result)}
  }
  const copyOf = (name: string, change: (root: string) => void) => {
    const root = join(copies, name)
    cpSync(tree.results, root, {recursive: true})
    change(root)
    return root
  }
  const leaves = () => [...tree.training.campaign.steps, ...tree.checkpointing.campaign.steps].map(step => join(tree.results, step.leaf!))
  const runLeaves = () => tree.training.campaign.steps.filter(step => step.role === 'warmup' || step.role === 'run').map(step => join(tree.results, step.leaf!))
  const record = (leaf: string) => JSON.parse(readFileSync(join(leaf, 'metadata.json'), 'utf8')) as RunRecord & {extra: Record<string, any>}

  before(async function () {
    const why = cannotBuild()
    if (why) {
      console.log(`      skipped: ${why}`)
      this.skip()
    }
    tree = await nativeCampaignTree()
  })

  it('init, then both campaigns complete: datasize, datagen, warm-up + 5 runs; one invocation of 10 writes and 10 reads', () => {
    assert.deepEqual(JSON.parse(readFileSync(join(tree.results, '.mlps', 'tree.json'), 'utf8')).organization, 'acme')
    assert.deepEqual(tree.training.campaign.steps.map(step => [step.role, step.status]), [
      ['datasize', 'COMPLETED'], ['datagen', 'COMPLETED'], ['warmup', 'COMPLETED'], ...Array.from({length: 5}, () => ['run', 'COMPLETED']),
    ])
    assert.deepEqual(tree.checkpointing.campaign.steps.map(step => [step.role, step.status]), [['write+read', 'COMPLETED']])
    for (const leaf of leaves()) {
      assert.ok(leaf.startsWith(join(tree.submitter, 'results', SYSTEM) + '/'), leaf)
      assert.equal(record(leaf).status, 'COMPLETED')
    }
    // the runs read exactly what datasize asked for: the 500-step minimum, as the stand-in's memory is below it
    const datasize = record(leaves()[0]).extra.datasize
    assert.deepEqual([datasize.numFilesTrain, datasize.dominatedBy, datasize.filesByMemory], [500, 'steps', 475])
    for (const leaf of runLeaves()) assert.equal((record(leaf).parameters.effective as any).dataset.num_files_train, 500)
  })

  it('every leaf that touched the storage keeps fs_separation.json: data and checkpoints on the tmpfs, results on the disk, proven by EXDEV', () => {
    const touching = leaves().filter(leaf => record(leaf).command !== 'datasize') // datasize reads no storage
    assert.equal(touching.length, 8)
    for (const leaf of touching) {
      const separation = JSON.parse(readFileSync(join(leaf, 'fs_separation.json'), 'utf8'))
      assert.deepEqual([separation.same_filesystem, separation.method], [false, 'link_exdev'], leaf)
      const [path] = separation.hosts[0].paths
      assert.deepEqual([path.fs_type, path.link.result], ['tmpfs', 'EXDEV'], leaf)
      assert.ok(path.path.startsWith(tree.sut), path.path)
      assert.notEqual(separation.hosts[0].results_dir.fs_type, 'tmpfs')
    }
  })

  it('every reader of client memory saw the stand-in\'s 256 MiB: datasize, the engine\'s summary, the cluster facts, the system description', () => {
    const datasize = record(leaves()[0]).extra.datasize
    assert.deepEqual([datasize.memorySource, datasize.totalMemoryBytes], ['measured', SMALL_HOST_MEMORY_BYTES])
    for (const leaf of [...runLeaves(), leaves().at(-1)!]) {
      const summary = JSON.parse(readFileSync(join(leaf, 'summary.json'), 'utf8'))
      assert.deepEqual(summary.host_memory_GB, [SMALL_HOST_MEMORY_BYTES / 1024 ** 3], leaf)
      assert.equal(record(leaf).extra.cluster.summary.totalMemoryBytes, SMALL_HOST_MEMORY_BYTES, leaf)
    }
    const generated = parse(tree.generatedDescription)
    assert.equal(generated.system_under_test.clients[0].chassis.memory_capacity, 0.25)
  })

  it('the description left as generated: verify names every placeholder by its YAML path, one by one', async () => {
    const root = copyOf('unfilled', copy => writeFileSync(join(copy, 'open', 'acme', 'systems', `${SYSTEM}.yaml`), tree.generatedDescription))
    const expected = placeholdersIn(parse(tree.generatedDescription)).map(placeholder => placeholder.path).sort()
    assert.ok(expected.length >= 10, expected.join(', '))
    const result = await verify(root)
    assert.equal(result.exitCode, 4)
    assert.equal(result.category, 'INVALID')
    const named = result.findings.filter(f => f.ruleId === 'SCHEMA3 systemPlaceholders')
    assert.deepEqual(named.map(f => f.evidence?.[0]?.path).sort(), expected)
    for (const finding of named) assert.ok(finding.message.includes(finding.evidence![0].path!), finding.message)
    // nothing else is an error: the placeholders are all that stands between this tree and the filled one
    assert.deepEqual(result.findings.filter(f => f.severity === 'error' && f.ruleId !== 'SCHEMA3 systemPlaceholders'), [])
  })

  it('filled in by hand: verify says OPEN with no error; what is left is exactly the native engine\'s OPEN-only finding and two named warnings', async () => {
    const result = await verify(tree.results)
    assert.equal(result.exitCode, 0, JSON.stringify(tally(result.findings)))
    assert.equal(result.category, 'OPEN')
    assert.deepEqual(tally(result.findings), {
      // the engine's own finding: an emulation is never CLOSED (the datagen, the 6 runs, the checkpointing invocation)
      'warn mlps.engine.closedEligible': 8,
      // 1 emulated accelerator, not the 4 a single host should simulate: 4 would need 4 × 500 files (5.7 GB)
      // and 4 × the time; the rules make it a warning (SC 3.3.3), and no parameter the rules allow avoids it
      'warn 3.3.3 trainingSingleHostSimulatedAccelerators': 6,
      // checkpointing records no accelerator (v3.0 metadata says null, no flag names one): its memory is unknown
      'warn 4.3.4 checkpointAggregateAcceleratorMemory (not evaluable)': 1,
    })
    // judged, not skipped: the rules this issue is about all ran on the tree
    assert.ok(!result.findings.some(f => /^(3\.1\.2|3\.4\.2|4\.4\.2|2\.1\.1[78]|2\.1\.[78]) /.test(f.ruleId) && f.severity !== 'info'))
  })

  it('rule 3.1.2 judges the memory the runs recorded: the same tree claiming this host\'s real memory fails it', async () => {
    const realGiB = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) / 1024 ** 2
    const root = copyOf('real-memory', copy => {
      for (const leaf of runLeaves()) {
        const summary = join(copy, relative(tree.results, leaf), 'summary.json')
        writeFileSync(summary, JSON.stringify({...JSON.parse(readFileSync(summary, 'utf8')), host_memory_GB: [realGiB]}))
      }
    })
    const result = await verify(root)
    assert.equal(result.category, 'INVALID')
    assert.equal(result.findings.filter(f => f.ruleId === '3.1.2 trainingRecalculateDatasetSize' && f.severity === 'error').length, 6)
  })

  it('one filesystem in CLOSED, on the official engine: the run is refused before it starts, naming mlps.fsSeparation; the counted tree is unchanged', async function () {
    const {dlioBin} = requireEngines(this) // a CLOSED run needs the official engine; the native one is only warned of one filesystem
    const root = copyOf('closed-one-fs', () => {})
    const before = countedFiles(root)
    const refused = await runCli(['training', 'run', '--closed', '--engine', 'dlio', '--dlio-bin', dlioBin, '-m', 'unet3d', '-g', 'b200', '-n', '1',
      '--system-name', SYSTEM, '--data-dir', join(copies, 'data-beside-results'), '--results-dir', root, '--json'], {env: tree.env})
    // exit 3, not 2: DLIO's own preflight adds that no dataset is there (none is generated, as nothing may run)
    assert.equal(refused.exitCode, 3, refused.stderr)
    const output = parseJson<{refused?: boolean; leaf: string; record: {findings: Finding[]}}>(refused)
    assert.equal(output.refused, true)
    const separation = output.record.findings.find(f => f.ruleId === 'mlps.fsSeparation')
    assert.equal(separation?.severity, 'error', JSON.stringify(output.record.findings.map(f => [f.ruleId, f.severity])))
    assert.match(separation!.message, /the same filesystem as the results dir/)
    assert.ok(output.leaf.startsWith(join(root, '.mlps', 'refused') + '/'), output.leaf)
    assert.deepEqual(countedFiles(root), before)
    assert.ok(!existsSync(join(root, 'closed')), 'no CLOSED folder, no generated description for it')
  })
})
