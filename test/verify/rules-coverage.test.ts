import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {pathToFileURL} from 'node:url'
import type {PluginContribution, RulesEdition} from 'mlps'
import {repoRoot} from '../helpers/cli.js'

// Every rule of every rules edition the first-party plugins contribute has a row in
// docs/rules-coverage.md and is named by at least one test. The editions come from
// each plugin's `mlps:register` hook, as the CLI loads them.

const PLUGINS = join(repoRoot, 'plugins')
const COVERAGE_DOC = join(repoRoot, 'docs', 'rules-coverage.md')
const THIS_FILE = relative(repoRoot, import.meta.filename)
/** findings the core itself reports (run status, engine eligibility, tree problems): rows in the table, but no edition's rules */
const CORE_FINDING = /^mlps\./

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'))

/** The source file of a plugin's `mlps:register` hook: package.json names the built file, the plugin's tsconfig maps it back. */
function registerHookSource(plugin: string): string | undefined {
  const hook: unknown = readJson(join(plugin, 'package.json')).oclif?.hooks?.['mlps:register']
  if (hook === undefined) return undefined
  assert.equal(typeof hook, 'string', `${plugin}/package.json: one mlps:register hook`)
  const {rootDir, outDir} = readJson(join(plugin, 'tsconfig.json')).compilerOptions as {rootDir: string; outDir: string}
  // the hook runs from the package's bundle, built from its tsc output: the same relative path under outDir
  const compiled = join(plugin, (hook as string).replace(/^\.\/bundle\//, `${outDir}/`))
  const source = join(plugin, rootDir, relative(join(plugin, outDir), compiled)).replace(/\.js$/, '.ts')
  assert.ok(existsSync(source), `${source}: the source of ${plugin}'s mlps:register hook`)
  return source
}

async function firstPartyEditions(): Promise<RulesEdition[]> {
  const editions: RulesEdition[] = []
  for (const entry of readdirSync(PLUGINS, {withFileTypes: true})) {
    if (!entry.isDirectory() || !existsSync(join(PLUGINS, entry.name, 'package.json'))) continue
    const source = registerHookSource(join(PLUGINS, entry.name))
    if (!source) continue
    const register = (await import(pathToFileURL(source).href)).default as () => Promise<PluginContribution | undefined>
    editions.push(...(await register())?.rulesEditions ?? [])
  }
  return editions
}

interface CoverageRow {
  ids: string[]
  tests: string
}

/** The rows of the "Implemented" table: the rule IDs of the first cell, and the last cell (which tests). */
function implementedRows(markdown: string): CoverageRow[] {
  const section = markdown.split(/^## /m).find(part => part.startsWith('Implemented'))
  assert.ok(section, `${COVERAGE_DOC} has no "## Implemented" section`)
  return section.split('\n')
    .filter(line => line.startsWith('| `'))
    .map(line => {
      const cells = line.split('|').slice(1, -1).map(cell => cell.trim())
      return {ids: [...cells[0].matchAll(/`([^`]+)`/g)].map(match => match[1]), tests: cells.at(-1) ?? ''}
    })
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, {recursive: true, withFileTypes: true}).filter(entry => entry.isFile()).map(entry => join(entry.parentPath, entry.name))
}

/** test/ and every plugin's test/ folder, as path → text (this file excluded: it names rules only through the editions) */
function testTexts(): Map<string, string> {
  const files = [...filesUnder(join(repoRoot, 'test')), ...readdirSync(PLUGINS).flatMap(plugin => filesUnder(join(PLUGINS, plugin, 'test')))]
  return new Map(files.map(file => [relative(repoRoot, file), file]).filter(([path]) => path !== THIS_FILE).map(([path, file]) => [path, readFileSync(file, 'utf8')]))
}

describe('rules coverage: every rule of every edition is documented and tested', () => {
  let ruleIds: string[]
  let rows: CoverageRow[]
  before(async () => {
    const editions = await firstPartyEditions()
    assert.deepEqual(editions.map(edition => edition.name).sort(), ['1.0', '3.0', '3.0-corrected'], 'the first-party editions')
    ruleIds = [...new Set(editions.flatMap(edition => {
      assert.ok(edition.rules && edition.rules.length > 0, `edition ${edition.name} declares its rules`)
      return edition.rules.map(rule => rule.id)
    }))]
    rows = implementedRows(readFileSync(COVERAGE_DOC, 'utf8'))
  })

  it('has a row in docs/rules-coverage.md for each rule ID, and no row for an ID no edition has', () => {
    assert.ok(ruleIds.length >= 60, `${ruleIds.length} rule IDs`)
    const documented = new Set(rows.flatMap(row => row.ids))
    assert.deepEqual(ruleIds.filter(id => !documented.has(id)), [], 'rules without a row in the Implemented table')
    const known = new Set(ruleIds)
    assert.deepEqual([...documented].filter(id => !known.has(id) && !CORE_FINDING.test(id)), [], 'rows naming no rule of any edition')
  })

  it('names each rule in at least one test file (by its ID, or by its readable name where no other rule shares it), and its row says which tests', () => {
    const texts = testTexts()
    assert.ok(texts.size > 50, `${texts.size} test files`)
    const readable = (id: string) => id.split(' ').at(-1)!
    const sharedNames = new Set(ruleIds.map(readable).filter((name, index, names) => names.indexOf(name) !== index))
    const untested = ruleIds.filter(id => {
      const names = sharedNames.has(readable(id)) ? [id] : [id, readable(id)]
      return ![...texts.values()].some(text => names.some(name => text.includes(name)))
    })
    assert.deepEqual(untested, [], 'rules that no test names')
    const saysNone = rows.filter(row => row.ids.some(id => ruleIds.includes(id)) && /^(—|-|)$/.test(row.tests))
    assert.deepEqual(saysNone.map(row => row.ids.join(', ')), [], 'rows whose tests column says none')
  })
})
