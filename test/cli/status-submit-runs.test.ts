import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {execa} from 'execa'
import {parse, stringify} from 'yaml'
import {ACCELERATOR, cannotBuild, CHECKPOINT_MODEL, MODEL, type NativeCampaignTree, nativeCampaignTree, ORGANIZATION, SYSTEM} from '../e2e/native-campaign-tree.js'
import {runCliOnSmallHost} from '../e2e/small-client-host.js'
import {writeValidTree} from '../verify/valid-tree.js'
import {type CliResult, parseJson, runCli, tempDir} from '../helpers/cli.js'

// The tree of the native engine's campaigns (test/e2e/native-campaign-tree.ts, built once per test process):
// `mlps init`, a training campaign (datasize, datagen, 6 cosmoflow runs) and a checkpointing campaign (one
// invocation of 10 writes and 10 reads), fs_separation.json measured by every run, the generated system
// description filled in by hand. Each test changes a copy of it.

let tree: NativeCampaignTree
const cli = (args: string[]) => runCli(args, {env: tree.env})
const ok = (result: CliResult) => assert.equal(result.exitCode, 0, result.stdout + result.stderr)
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex')
const leavesOf = (folder: string) => readdirSync(folder).filter(name => /^\d{8}_\d{6}$/.test(name)).sort().map(name => join(folder, name))

interface StatusItem {kind: string; system?: string; subject: string; path?: string; line: string; rules: string[]}
interface Status {ready: boolean; category: string; items: StatusItem[]; done: Array<{subject: string; line: string}>}
interface Manifest {forced: boolean; category: string; files: Array<{path: string; size: number; sha256: string}>}

describe('mlps status, submit and runs (built CLI, a tree of native-engine campaigns; root)', function () {
  this.timeout(120_000)
  const dir = tempDir('mlps-submit-')
  let full: string
  let submitter: string
  let trainingRuns: string
  let checkpoints: string

  before(async function () {
    const why = cannotBuild()
    if (why) {
      console.log(`      skipped: ${why}`)
      this.skip()
    }
    this.timeout(900_000) // two campaigns; the shared 2-core machine can be loaded many times over
    tree = await nativeCampaignTree()
    full = tree.results
    submitter = tree.submitter
    trainingRuns = join(submitter, 'results', SYSTEM, 'training', MODEL, 'run')
    checkpoints = join(submitter, 'results', SYSTEM, 'checkpointing', CHECKPOINT_MODEL)
  })

  /** a copy of the tree, changed by the test */
  function copyOf(name: string, change: (root: string) => void = () => {}): string {
    const root = join(dir, name)
    cpSync(full, root, {recursive: true})
    change(root)
    return root
  }
  const below = (root: string, path: string) => path.replace(full, root)

  /** the checkpointing campaign alone, with its system description: a tree verify accepts (OPEN: the engine is an emulation) */
  function checkpointingTree(name: string, change: (root: string) => void = () => {}): string {
    return copyOf(name, root => {
      rmSync(join(root, 'open', 'acme', 'results', 'sut1', 'training'), {recursive: true})
      rmSync(join(root, '.mlps', 'campaigns', `${tree.training.campaign.id}.json`))
      change(root)
    })
  }

  it('status lists exactly what was removed: a training run, the checkpointing invocation (named by its campaign\'s record), a field of the system YAML', async () => {
    const baseline = parseJson<Status>(await cli(['status', full, '--json']))
    const broken = copyOf('broken', root => {
      rmSync(below(root, leavesOf(trainingRuns).at(-1)!), {recursive: true})
      rmSync(below(root, leavesOf(checkpoints).at(-1)!), {recursive: true})
      const yaml = join(root, 'open', 'acme', 'systems', 'sut1.yaml')
      const description = parse(readFileSync(yaml, 'utf8')) as {system_under_test: {solution: Record<string, unknown>}}
      delete description.system_under_test.solution.usable_capacity_tib
      writeFileSync(yaml, stringify(description))
    })
    const after = parseJson<Status>(await cli(['status', broken, '--json']))
    const key = (item: StatusItem) => `${item.subject}: ${item.rules.join(',')}`
    const before = new Set(baseline.items.filter(item => item.kind === 'missing').map(key))
    const added = after.items.filter(item => item.kind === 'missing' && !before.has(key(item)))
    assert.deepEqual(added.map(item => `${item.subject}: ${item.line}`).sort(), [
      // the campaign made one invocation of 10 writes and 10 reads; with it gone verify sees no checkpointing at all
      `checkpointing llama3-8b: 10 writes, 10 reads missing: campaign ${tree.checkpointing.campaign.id} made ${tree.checkpointing.campaign.steps[0].leaf}, which is no longer in the tree`,
      'systems/sut1.yaml: 1 field to fill',
      'training cosmoflow a100: 5 of 6 runs',
    ])
    assert.equal(after.ready, false)
    const human = await cli(['status', broken])
    ok(human)
    assert.match(human.stdout, /open\/acme\/sut1\n/)
    assert.match(human.stdout, /✗ training cosmoflow a100: 5 of 6 runs/)
    assert.match(human.stdout, /✗ checkpointing llama3-8b: 10 writes, 10 reads missing: campaign checkpointing_llama3-8b_\S+ made open\/acme\/results\/sut1\/checkpointing\/llama3-8b\/\d{8}_\d{6}, which is no longer in the tree/)
    assert.match(human.stdout, /✗ systems\/sut1\.yaml: 1 field to fill/)
    assert.match(human.stdout, /things missing before verify/)
  })

  it('status names the tree\'s organization from its sentinel, and says when the dir was never `mlps init`-ed', async () => {
    interface Origin {tree: {initialized: boolean; organization?: string; sentinel: string}}
    const status = parseJson<Origin>(await cli(['status', full, '--json']))
    assert.deepEqual([status.tree.initialized, status.tree.organization], [true, ORGANIZATION])
    const human = await cli(['status', full])
    assert.match(human.stdout, /^results tree of organization acme \(mlps init, \d{4}-\d\d-\d\d\)\n/)

    const never = copyOf('never-initialised', root => rmSync(join(root, '.mlps', 'tree.json')))
    assert.deepEqual(parseJson<Origin>(await cli(['status', never, '--json'])).tree, {initialized: false, sentinel: join(never, '.mlps', 'tree.json')})
    const told = await cli(['status', never])
    ok(told)
    assert.match(told.stdout, /^results tree never initialised \(no .*tree\.json\): CLOSED runs into it need `mlps init <organization> --results-dir /)

    const broken = copyOf('broken-sentinel', root => writeFileSync(join(root, '.mlps', 'tree.json'), '{"organization": '))
    const refused = await cli(['status', broken])
    assert.equal(refused.exitCode, 2)
    assert.match(refused.stderr, /broken-sentinel\/\.mlps\/tree\.json: the results tree's sentinel is not JSON/)
  })

  it('status names leaves without fs_separation.json, and is ready once nothing is missing', async () => {
    const withoutSeparation = copyOf('no-separation', root => {
      for (const leaf of leavesOf(trainingRuns).slice(0, 2)) rmSync(join(below(root, leaf), 'fs_separation.json'))
    })
    const status = parseJson<Status>(await cli(['status', withoutSeparation, '--json']))
    assert.ok(status.items.some(item => item.subject === 'training cosmoflow a100' && item.line === 'fs_separation.json missing in 2 leaves'), JSON.stringify(status.items, null, 1))

    const whole = parseJson<Status>(await cli(['status', full, '--json']))
    assert.equal(whole.ready, true, JSON.stringify(whole.items, null, 1))
    assert.deepEqual(whole.done.map(done => done.subject).sort(), ['checkpointing llama3-8b', 'systems/sut1.yaml', 'training cosmoflow a100'])

    const complete = parseJson<Status>(await cli(['status', checkpointingTree('ready'), '--json']))
    assert.equal(complete.ready, true, JSON.stringify(complete.items, null, 1))
    assert.equal(complete.category, 'OPEN')
    assert.ok(complete.done.some(done => done.subject === 'checkpointing llama3-8b'))
    assert.ok(complete.items.some(item => item.kind === 'open' && item.rules.includes('mlps.engine.closedEligible')), 'what keeps it OPEN is said')
    const human = await cli(['status', checkpointingTree('ready-human')])
    assert.match(human.stdout, /ready: nothing missing \(edition 3\.0; verify says OPEN\)/)
  })

  it('submit refuses an INVALID tree, packages a complete one reproducibly with a manifest that matches the files', async function () {
    this.timeout(60_000)
    const incomplete = copyOf('incomplete', root => rmSync(below(root, leavesOf(trainingRuns).at(-1)!), {recursive: true}))
    const refused = await cli(['submit', incomplete, '--output', join(dir, 'refused.tar.gz'), '--json'])
    assert.equal(refused.exitCode, 4, refused.stderr)
    assert.match(refused.stderr, /refused: verify \(edition 3\.0\) calls the tree INVALID/)
    assert.equal(existsSync(join(dir, 'refused.tar.gz')), false)

    const forced = await cli(['submit', incomplete, '--output', join(dir, 'forced.tar.gz'), '--force', '--json'])
    ok(forced)
    assert.equal(parseJson<{forced: boolean}>(forced).forced, true)

    const packaged = copyOf('complete', root => {
      writeFileSync(join(root, '.mlps', 'campaigns', 'c1.json'), '{}')
      writeFileSync(join(root, 'open', 'acme', '.DS_Store'), 'junk')
      mkdirSync(join(root, 'open', 'acme', 'systems', 'drafts'))
    })
    const nowhere = await cli(['submit', packaged, '--output', join(dir, 'no', 'such', 'x.tar.gz')])
    assert.equal(nowhere.exitCode, 2)
    assert.match(nowhere.stderr, /--output: the folder .* does not exist/)
    const inside = await cli(['submit', packaged, '--output', join(packaged, 'x.tar.gz')])
    assert.equal(inside.exitCode, 2)
    assert.match(inside.stderr, /--output: the archive would land inside the tree it packages/)
    const dry = await cli(['submit', packaged, '--dry-run', '--json'])
    ok(dry)
    assert.equal(readdirSync(dir).some(name => name.endsWith('.tar.gz') && name.startsWith('complete')), false)

    const first = await cli(['submit', packaged, '--output', join(dir, 'one.tar.gz'), '--json'])
    ok(first)
    const second = await cli(['submit', packaged, '--output', join(dir, 'two.tar.gz'), '--json'])
    ok(second)
    const one = readFileSync(join(dir, 'one.tar.gz'))
    assert.ok(one.equals(readFileSync(join(dir, 'two.tar.gz'))), 'two submits of the same tree are byte-identical')
    const result = parseJson<{sha256: string; category: string; lint: Array<{ruleId: string; message: string}>; files: Array<{path: string}>}>(first)
    assert.equal(result.sha256, sha256(one))
    assert.equal(readFileSync(join(dir, 'one.tar.gz.sha256'), 'utf8'), `${sha256(one)}  one.tar.gz\n`)
    assert.equal(result.category, 'OPEN')
    assert.deepEqual(result.lint.filter(f => f.ruleId !== 'submit.machinePath').map(f => f.ruleId).sort(), ['submit.emptyFolder', 'submit.leftOut'])
    assert.deepEqual(parseJson<{files: unknown}>(dry).files, result.files, 'the dry run listed what went in')

    const out = join(dir, 'unpacked')
    mkdirSync(out)
    await execa('tar', ['-xzf', join(dir, 'one.tar.gz'), '-C', out])
    const manifest = JSON.parse(readFileSync(join(out, 'mlps-manifest.json'), 'utf8')) as Manifest
    assert.equal(manifest.forced, false)
    const unpacked = (await execa('find', ['.', '-type', 'f'], {cwd: out})).stdout.split('\n').map(path => path.slice(2)).filter(path => path !== 'mlps-manifest.json').sort()
    assert.deepEqual(manifest.files.map(file => file.path), unpacked)
    assert.ok(!unpacked.some(path => path.startsWith('.mlps') || path.endsWith('.DS_Store')))
    assert.ok(unpacked.includes('open/acme/systems/sut1.yaml'))
    for (const file of manifest.files) {
      const archived = readFileSync(join(out, file.path))
      assert.equal(sha256(archived), file.sha256, file.path)
      assert.equal(archived.byteLength, file.size)
      assert.equal(sha256(readFileSync(join(packaged, file.path))), file.sha256, `${file.path} as in the tree`)
    }
    const verified = await cli(['verify', out, '--json'])
    assert.equal(verified.exitCode, 0, 'the unpacked archive verifies as the tree did')
  })

  it('submit packages the synthetic CLOSED tree (training and checkpointing) and says CLOSED in its manifest', async () => {
    const valid = join(dir, 'valid')
    writeValidTree(valid)
    const result = await cli(['submit', valid, '--output', join(dir, 'valid.tar.gz'), '--edition', '3.0-corrected', '--json'])
    ok(result)
    assert.equal(parseJson<{category: string; forced: boolean}>(result).category, 'CLOSED')
    const manifest = JSON.parse((await execa('tar', ['-xzOf', join(dir, 'valid.tar.gz'), 'mlps-manifest.json'])).stdout) as Manifest
    assert.deepEqual([manifest.category, manifest.forced], ['CLOSED', false])
  })

  it('submit refuses a tree with a secret planted in a log, without repeating it', async () => {
    const packaged = checkpointingTree('secret', root => {
      const log = join(below(root, leavesOf(checkpoints)[0]), 'dlio.log')
      writeFileSync(log, readFileSync(log, 'utf8') + '\nconnecting with aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ3tY8kLm\n')
    })
    const result = await cli(['submit', packaged, '--output', join(dir, 'secret.tar.gz'), '--json'])
    assert.equal(result.exitCode, 2, result.stderr)
    const {lint} = parseJson<{lint: Array<{ruleId: string; severity: string; message: string}>}>(result)
    const secret = lint.find(f => f.ruleId === 'submit.secret')
    assert.match(secret?.message ?? '', /checkpointing\/llama3-8b\/\d{8}_\d{6}\/dlio\.log:\d+: a value for "aws_secret_access_key"/)
    assert.ok(!result.stdout.includes('bPxRfiCY') && !result.stderr.includes('bPxRfiCY'))
    assert.equal(existsSync(join(dir, 'secret.tar.gz')), false)
  })

  it('submit --rewrite-paths writes the machine\'s paths as placeholders and keeps the tree\'s checksums in the manifest', async () => {
    const packaged = checkpointingTree('paths')
    const result = await cli(['submit', packaged, '--output', join(dir, 'paths.tar.gz'), '--rewrite-paths', '--json'])
    ok(result)
    const out = join(dir, 'paths-out')
    mkdirSync(out)
    await execa('tar', ['-xzf', join(dir, 'paths.tar.gz'), '-C', out])
    const manifest = JSON.parse(readFileSync(join(out, 'mlps-manifest.json'), 'utf8')) as {files: Array<{path: string; sha256: string; original?: {sha256: string}}>}
    const record = manifest.files.find(file => file.path.endsWith('metadata.json'))!
    const text = readFileSync(join(out, record.path), 'utf8')
    assert.ok(!text.includes(dir), 'no path of the machine is left')
    assert.match(text, /<tmp>\//)
    assert.equal(record.original?.sha256, sha256(readFileSync(join(packaged, record.path))))
    assert.equal(record.sha256, sha256(Buffer.from(text)))
  })

  it('runs list shows every leaf with its figures and filters them', async () => {
    const all = parseJson<{runs: Array<{path: string; benchmark: string; command: string; status: string; category: string; startedAt: string; headline?: {label: string; value: number}}>}>(await cli(['runs', 'list', full, '--json']))
    assert.equal(all.runs.length, 9)
    const training = parseJson<{runs: Array<{headline?: {label: string; value: number}; model: string}>}>(await cli(['runs', 'list', full, '--benchmark', 'training', '--command', 'run', '--json']))
    assert.equal(training.runs.length, 6)
    assert.ok(training.runs.every(run => run.model === MODEL && run.headline?.label === 'samples/s' && run.headline.value > 0))
    // the campaign's one invocation of 10 writes and 10 reads
    const checkpointing = parseJson<{runs: unknown[]}>(await cli(['runs', 'list', full, '--model', CHECKPOINT_MODEL, '--category', 'OPEN', '--json']))
    assert.equal(checkpointing.runs.length, 1)
    const campaignSteps = parseJson<{runs: unknown[]}>(await cli(['runs', 'list', full, '--benchmark', 'training', '--json']))
    assert.equal(campaignSteps.runs.length, 8, 'datasize, datagen and the 6 runs')
    const none = parseJson<{runs: unknown[]}>(await cli(['runs', 'list', full, '--since', '2999-01-01', '--json']))
    assert.equal(none.runs.length, 0)
    const bad = await cli(['runs', 'list', full, '--since', 'yesterday'])
    assert.equal(bad.exitCode, 2)
    assert.match(bad.stderr, /--since: "yesterday" is not a time/)
    const human = await cli(['runs', 'list', full])
    assert.match(human.stdout, /9 runs/)
  })

  it('runs show prints a run\'s record, findings and files', async () => {
    const leaf = leavesOf(trainingRuns)[0]
    const shown = parseJson<{run: {path: string; category: string; findings: Array<{ruleId: string}>}; record: {runId: string}; files: string[]}>(await cli(['runs', 'show', leaf, '--json']))
    assert.ok(shown.files.includes('metadata.json') && shown.files.includes('summary.json'))
    assert.equal(shown.record.runId, JSON.parse(readFileSync(join(leaf, 'metadata.json'), 'utf8')).runId)
    assert.ok(shown.run.findings.some(f => f.ruleId === 'mlps.engine.closedEligible'))
    const missing = await cli(['runs', 'show', join(dir, 'nothing-here')])
    assert.equal(missing.exitCode, 2)
  })

  it('runs compare names reader.read_threads and the throughput difference in %', async function () {
    this.timeout(60_000)
    const results = join(dir, 'threads')
    const leaves: string[] = []
    for (const threads of [1, 4]) {
      // on the campaign's dataset and small host; one epoch each: these two are compared, not submitted
      const run = await runCliOnSmallHost(tree.meminfo, ['training', 'run', '-m', MODEL, '-g', ACCELERATOR, '-n', '1', '--data-dir', join(tree.sut, 'data'), '--results-dir', results,
        '--open', '--system-name', SYSTEM, '--param', 'dataset.num_files_train=500', '--param', 'train.epochs=1', '--param', `reader.read_threads=${threads}`, '--json'], tree.env)
      ok(run)
      leaves.push(parseJson<{leaf: string}>(run).leaf)
    }
    const [a, b] = leaves
    const comparison = parseJson<{parameters: Array<{key: string; a: unknown; b: unknown}>; figures: Array<{name: string; a: number; b: number; differencePercent: number}>}>(await cli(['runs', 'compare', a, b, '--json']))
    assert.deepEqual(comparison.parameters, [{key: 'reader.read_threads', a: 1, b: 4}])
    const throughput = (leaf: string) => (JSON.parse(readFileSync(join(leaf, 'summary.json'), 'utf8')) as {metric: {train_throughput_mean_samples_per_second: number}}).metric.train_throughput_mean_samples_per_second
    const samples = comparison.figures.find(figure => figure.name === 'samples/s')!
    assert.deepEqual([samples.a, samples.b], [throughput(a), throughput(b)])
    assert.ok(Math.abs(samples.differencePercent - (throughput(b) - throughput(a)) / throughput(a) * 100) < 1e-9)
    const human = await cli(['runs', 'compare', a, b])
    assert.match(human.stdout, /reader\.read_threads +A 1 +B 4/)
    assert.match(human.stdout, /samples\/s +A [\d.]+ +B [\d.]+ +[+-][\d.]+ %/)
  })

  it('runs remove moves a leaf to .mlps/trash, refuses one a campaign needs without --force, and --purge deletes', async () => {
    const root = copyOf('remove')
    const [first, second, third] = leavesOf(below(root, trainingRuns))
    const relative = (leaf: string) => leaf.slice(root.length + 1)
    // every leaf of the tree is a step of its campaign: removing one is refused, naming the campaign and the step
    const needed = await cli(['runs', 'remove', first])
    assert.equal(needed.exitCode, 2)
    assert.match(needed.stderr, new RegExp(`campaign ${tree.training.campaign.id} \\(COMPLETE\\) needs it: step 3 \\(warmup\\)`))
    assert.ok(existsSync(first))
    // as if the runs were made one by one: only the record written here names a leaf
    rmSync(join(root, '.mlps', 'campaigns'), {recursive: true})
    mkdirSync(join(root, '.mlps', 'campaigns'), {recursive: true})
    writeFileSync(join(root, '.mlps', 'campaigns', 'train-1.json'), JSON.stringify({schemaVersion: 1, id: 'train-1', status: 'INTERRUPTED',
      steps: [{index: 2, role: 'run', leaf: relative(second), status: 'COMPLETE'}]}))

    const moved = await cli(['runs', 'remove', first, '--json'])
    ok(moved)
    const {trash} = parseJson<{trash: string}>(moved)
    assert.ok(trash.startsWith(join(root, '.mlps', 'trash')))
    assert.ok(existsSync(join(trash, relative(first), 'metadata.json')), 'kept under its path in the trash')
    assert.equal(existsSync(first), false)

    const refused = await cli(['runs', 'remove', second])
    assert.equal(refused.exitCode, 2)
    assert.match(refused.stderr, /campaign train-1 \(INTERRUPTED\) needs it: step 2 \(run\)/)
    assert.ok(existsSync(second))
    ok(await cli(['runs', 'remove', second, '--force']))
    assert.equal(existsSync(second), false)

    ok(await cli(['runs', 'remove', third, '--purge']))
    assert.equal(existsSync(third), false)
    assert.equal(readdirSync(join(root, '.mlps', 'trash')).length, 2, 'purged leaves do not go to the trash')

    const status = parseJson<Status>(await cli(['status', root, '--json']))
    assert.ok(status.items.some(item => item.subject === 'training cosmoflow a100' && item.line === '3 of 6 runs'), 'the trash is not counted')
    const notALeaf = await cli(['runs', 'remove', join(root, 'open', 'acme', 'results')])
    assert.equal(notALeaf.exitCode, 2)
  })

  after(() => rmSync(dir, {recursive: true, force: true}))
})
