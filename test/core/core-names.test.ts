import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {repoRoot} from '../helpers/cli.js'

/** What only plugins may know: first-party benchmarks, their folders, engines, models, accelerators, formats, the example plugin. */
const NAMES = /\b(training|checkpoint(s|ing)?|kv[_-]?cache|vector[_ ]?database|vectordb|vdbbench|dlio|native|unet3d|resnet50|cosmoflow|retinanet|dlrm|flux|llama[\w.-]*|a100|h100|b200|mi355|npz|tfrecord|parquet|milvus|lancedb|mlps-plugin-example)\b/i
/** help texts and the commented starter config speak to users about what is installed; they may name it */
const HELP_TEXT = /^\s*(static (summary|description|examples)\b|'<%= config\.bin %>|[\w-]+: Flags\.\w+\(\{description:)|\.describe\('/
const STARTER_CONFIG = 'src/config/starter.ts'

function sources(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap(entry =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [])
}

describe('the core knows no benchmark, engine, model or format', () => {
  it('names none in src/ or hooks/ outside help texts', () => {
    const hits: string[] = []
    for (const file of [...sources(join(repoRoot, 'src')), ...sources(join(repoRoot, 'hooks'))]) {
      const path = relative(repoRoot, file)
      if (path === STARTER_CONFIG) continue
      readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
        if (!HELP_TEXT.test(line) && NAMES.test(line)) hits.push(`${path}:${index + 1}: ${line.trim()}`)
      })
    }
    assert.deepEqual(hits, [])
  })

  it('the check itself finds a name', () => {
    assert.ok(NAMES.test("  if (benchmark === 'kv_cache') return"))
    assert.ok(!NAMES.test('  if (benchmark === folder) return'))
    assert.ok(HELP_TEXT.test("    engine: Flags.string({description: 'e.g. native, dlio'}),"))
  })
})
