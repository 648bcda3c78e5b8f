import assert from 'node:assert/strict'
import {mkdirSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {ESLint} from 'eslint'
import tseslint from 'typescript-eslint'
import noImportCycle from '../../lint/no-import-cycle.js'
import {tempDir} from '../helpers/cli.js'

/** Lints a made-up project with the cycle rule alone; returns `file:line message` per finding. */
async function cyclesIn(files: Record<string, string>): Promise<string[]> {
  const root = tempDir('mlps-cycle-')
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), {recursive: true})
    writeFileSync(join(root, path), text)
  }
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{
      files: ['**/*.ts'],
      languageOptions: {parser: tseslint.parser},
      plugins: {mlps: {rules: {'no-import-cycle': noImportCycle}}},
      rules: {'mlps/no-import-cycle': ['error', {conditions: ['mlps-source']}]},
    }],
  })
  const results = await eslint.lintFiles(['**/*.ts'])
  return results.flatMap(result => result.messages.map(message => {
    assert.equal(message.ruleId, 'mlps/no-import-cycle', message.message)
    return `${result.filePath.slice(root.length + 1)}:${message.line} ${message.message}`
  })).sort()
}

describe('the import-cycle lint rule', () => {
  it('reports a cycle made of type imports alone, on both sides, naming the route', async () => {
    const found = await cyclesIn({
      'src/a.ts': "import type {B} from './b.js'\nexport interface A {b: B}\n",
      'src/b.ts': "import type {A} from './a.js'\nexport interface B {a?: A}\n",
    })
    assert.equal(found.length, 2)
    assert.match(found[0], /^src\/a\.ts:1 Import cycle: src\/a\.ts → src\/b\.ts → src\/a\.ts\./)
    assert.match(found[1], /^src\/b\.ts:1 Import cycle: src\/b\.ts → src\/a\.ts → src\/b\.ts\./)
  })

  it('follows re-exports and type-position import() across folders and reports only the edges on the cycle', async () => {
    const found = await cyclesIn({
      'src/index.ts': "export * from './registry/definitions.js'\n",
      'src/registry/definitions.ts': "import {helper} from '../util/helper.js'\nexport type Context = import('../lifecycle/context.js').RunContext\nexport const x = helper\n",
      'src/lifecycle/context.ts': "import type {Context} from '../index.js'\nexport interface RunContext {next?: Context}\n",
      'src/util/helper.ts': 'export const helper = 1\n',
    })
    assert.deepEqual(found.map(line => line.split(' ')[0]), ['src/index.ts:1', 'src/lifecycle/context.ts:1', 'src/registry/definitions.ts:2'])
    assert.match(found[1], /src\/lifecycle\/context\.ts → src\/index\.ts → src\/registry\/definitions\.ts → src\/lifecycle\/context\.ts/)
  })

  it('resolves a package through its exports under the given conditions, as a plugin imports mlps', async () => {
    const found = await cyclesIn({
      'package.json': JSON.stringify({name: 'core', type: 'module', exports: {'.': {'mlps-source': './src/index.ts', default: './dist/index.js'}}}),
      'src/index.ts': "export type {Plugin} from './plugin-api.js'\n",
      'src/plugin-api.ts': "import type {Plugin as Self} from 'core'\nexport interface Plugin {parent?: Self}\n",
    })
    assert.deepEqual(found.map(line => line.split(' ')[0]), ['src/index.ts:1', 'src/plugin-api.ts:1'])
  })

  it('passes a chain without a way back, and a lazy import() in code that closes no cycle at load time', async () => {
    const found = await cyclesIn({
      'src/a.ts': "import {b} from './b.js'\nexport const a = () => b\n",
      'src/b.ts': "import {c} from './c.js'\nexport const b = c\n",
      'src/c.ts': "export const c = 1\nexport async function later() {\n  return (await import('./a.js')).a\n}\n",
    })
    assert.deepEqual(found, [])
  })
})
