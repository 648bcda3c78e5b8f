// @ts-check
/**
 * ESLint rule: no module imports a module that leads back to it.
 *
 * Written here because eslint-plugin-import(-x)'s `no-cycle` skips
 * `import type`, and mlps's worst cycle is made of type imports alone: a
 * type-only cycle still ties the modules into one unit that cannot be read,
 * moved or published apart. Counted: `import` (type or value), `export … from`,
 * `import x = require()`, and `import('…')` in type positions. Not counted:
 * `await import('…')` in code, which runs after every module has loaded and is
 * how mlps loads heavy modules lazily.
 *
 * Specifiers resolve as TypeScript resolves them (NodeNext, `.js` naming the
 * `.ts` file, package `exports` under the configured conditions), so a
 * plugin's `import type {…} from 'mlps'` reaches the core's `src/index.ts`.
 * Only the repository's own source files are nodes: nothing under
 * node_modules, no `.d.ts`.
 */
import {readFileSync, statSync} from 'node:fs'
import {relative, sep} from 'node:path'
import ts from 'typescript'

const SOURCE_FILE = /\.(c|m)?(t|j)sx?$/
const DECLARATION_FILE = /\.d\.(c|m)?ts$/
/** a file read longer ago than this is checked against its mtime before it is used again (editors keep ESLint running) */
const REVALIDATE_AFTER_MS = 2000

/** @typedef {{mtimeMs: number, checkedAt: number, targets: string[]}} Node */

class ImportGraph {
  /** @param {string} root @param {string[]} conditions */
  constructor(root, conditions) {
    this.root = root
    this.options = {
      module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
      customConditions: conditions, allowJs: true, allowImportingTsExtensions: true, noEmit: true,
    }
    this.resolutionCache = ts.createModuleResolutionCache(root, name => name, this.options)
    /** @type {Map<string, Node>} */
    this.nodes = new Map()
  }

  /** The repository file a specifier names, or undefined for packages, built output and missing files. */
  resolve(/** @type {string} */ specifier, /** @type {string} */ fromFile) {
    const mode = fromFile.endsWith('.cts') || fromFile.endsWith('.cjs') ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext
    const resolved = ts.resolveModuleName(specifier, fromFile, this.options, ts.sys, this.resolutionCache, undefined, mode).resolvedModule
    if (!resolved) return undefined
    const file = resolved.resolvedFileName
    const inside = !relative(this.root, file).startsWith('..')
    if (!inside || file.split(sep).includes('node_modules') || DECLARATION_FILE.test(file) || !SOURCE_FILE.test(file)) return undefined
    return file
  }

  /** The repository files a file imports, from its text on disk. */
  targets(/** @type {string} */ file) {
    const now = Date.now()
    const known = this.nodes.get(file)
    if (known && now - known.checkedAt < REVALIDATE_AFTER_MS) return known.targets
    let mtimeMs
    try {
      mtimeMs = statSync(file).mtimeMs
    } catch {
      this.nodes.delete(file)
      return []
    }
    if (known && known.mtimeMs === mtimeMs) {
      known.checkedAt = now
      return known.targets
    }
    const targets = [...new Set(importSpecifiers(file, readFileSync(file, 'utf8')).flatMap(specifier => this.resolve(specifier, file) ?? []))]
    this.nodes.set(file, {mtimeMs, checkedAt: now, targets})
    return targets
  }

  /** Every file from which `file` can be reached, `file` itself excluded unless it lies on a cycle. */
  reachingFiles(/** @type {string} */ file) {
    /** @type {Map<string, string[]>} */
    const importers = new Map()
    const seen = new Set([file])
    const queue = [file]
    while (queue.length > 0) {
      const current = /** @type {string} */ (queue.shift())
      for (const target of this.targets(current)) {
        importers.set(target, [...importers.get(target) ?? [], current])
        if (!seen.has(target)) {
          seen.add(target)
          queue.push(target)
        }
      }
    }
    const reaching = new Set()
    const back = [file]
    while (back.length > 0) {
      for (const importer of importers.get(/** @type {string} */ (back.pop())) ?? []) {
        if (reaching.has(importer)) continue
        reaching.add(importer)
        back.push(importer)
      }
    }
    return reaching
  }

  /** The shortest chain of imports from `from` to `to`, both included. */
  route(/** @type {string} */ from, /** @type {string} */ to) {
    /** @type {Map<string, string>} */
    const previous = new Map()
    const queue = [from]
    const seen = new Set([from])
    while (queue.length > 0) {
      const current = /** @type {string} */ (queue.shift())
      if (current === to) break
      for (const target of this.targets(current)) {
        if (seen.has(target)) continue
        seen.add(target)
        previous.set(target, current)
        queue.push(target)
      }
    }
    const chain = [to]
    while (chain[0] !== from) chain.unshift(/** @type {string} */ (previous.get(chain[0])))
    return chain
  }
}

/** The module specifiers a file's imports and re-exports name (dynamic `import()` in code excluded, see above). */
function importSpecifiers(/** @type {string} */ file, /** @type {string} */ text) {
  const kind = file.endsWith('x') ? ts.ScriptKind.TSX : /\.(c|m)?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind)
  /** @type {string[]} */
  const specifiers = []
  for (const statement of source.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      specifiers.push(statement.moduleSpecifier.text)
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference) && ts.isStringLiteral(statement.moduleReference.expression)) {
      specifiers.push(statement.moduleReference.expression.text)
    }
  }
  if (text.includes('import(')) {
    /** @param {ts.Node} node */
    const visit = node => {
      if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) specifiers.push(node.argument.literal.text)
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return specifiers
}

/** one graph per root and conditions, shared by every file of a lint run */
const graphs = new Map()

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: {description: 'Forbid import cycles, type-only imports included'},
    schema: [{
      type: 'object',
      properties: {conditions: {type: 'array', items: {type: 'string'}}},
      additionalProperties: false,
    }],
    messages: {
      cycle: 'Import cycle: {{route}}. Type-only imports count too: move what both sides need into a module that imports neither.',
    },
  },
  create(context) {
    const file = context.physicalFilename
    if (!SOURCE_FILE.test(file)) return {}
    const conditions = context.options[0]?.conditions ?? []
    const key = `${context.cwd}\0${conditions.join(',')}`
    if (!graphs.has(key)) graphs.set(key, new ImportGraph(context.cwd, conditions))
    /** @type {ImportGraph} */
    const graph = graphs.get(key)
    /** @type {Set<string> | undefined} */
    let reaching
    const name = (/** @type {string} */ path) => relative(context.cwd, path)

    /** @param {import('estree').Node} node @param {unknown} source */
    const check = (node, source) => {
      if (typeof source !== 'string') return
      const target = graph.resolve(source, file)
      if (!target || target === file) return
      reaching ??= graph.reachingFiles(file)
      if (!reaching.has(target)) return
      context.report({node, messageId: 'cycle', data: {route: [file, ...graph.route(target, file)].map(name).join(' → ')}})
    }
    // typescript-eslint's node types are not in ESLint's own; the visitors read only `source` / `argument`
    /** @type {Record<string, (node: any) => void>} */
    const visitors = {
      ImportDeclaration: node => check(node, node.source.value),
      ExportNamedDeclaration: node => check(node, node.source?.value),
      ExportAllDeclaration: node => check(node, node.source.value),
      TSImportEqualsDeclaration: node => check(node, node.moduleReference?.expression?.value),
      TSImportType: node => check(node, node.argument?.literal?.value ?? node.source?.value),
    }
    return visitors
  },
}

export default rule
