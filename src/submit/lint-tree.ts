import {createHash} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import {mapWithConcurrency} from '../util/map-with-concurrency.js'
import type {Finding} from '../verify/finding.js'
import type {CollectedTree, TreeFile} from './collect-files.js'
import {findMachinePaths, type MachinePrefix, rewriteMachinePaths} from './machine-paths.js'
import {findSecrets} from './secret-patterns.js'

export interface LintOptions {
  maxFileSize: number
  prefixes: readonly MachinePrefix[]
  /** files the user checked and vouches for (a value that only looks like a secret) */
  allowSecretsIn: ReadonlySet<string>
  rewritePaths: boolean
}

export interface ManifestFile {
  path: string
  size: number
  sha256: string
  /** the tree's file before its machine paths were rewritten */
  original?: {size: number; sha256: string}
}

export interface LintResult {
  findings: Finding[]
  /** every file's size and SHA-256 as the archive holds it, in the tree's order */
  manifest: ManifestFile[]
  /** the bytes a file goes into the archive with: the tree's, or rewritten */
  content(file: TreeFile): Promise<Buffer>
}

const READ_CONCURRENCY = 16
/** what a text file is told by: no NUL byte in its first 8 KiB */
const isText = (data: Buffer) => !data.subarray(0, 8192).includes(0)
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex')

/**
 * What should not be handed in, read in one pass that also hashes every
 * file for the manifest. Errors refuse the archive (a secret, a file over
 * the size limit); warnings are said and handled (junk and empty folders
 * are left out, machine paths rewritten when asked).
 */
export async function lintTree(tree: CollectedTree, options: LintOptions): Promise<LintResult> {
  const findings: Finding[] = []
  const rewritten = new Set<string>()
  for (const {path, reason} of tree.leftOut) {
    findings.push({ruleId: 'submit.leftOut', severity: 'warn', message: `${path}: ${reason}; left out of the archive`, fix: 'delete it from the tree', evidence: [{file: path}]})
  }
  for (const path of tree.emptyFolders) {
    findings.push({ruleId: 'submit.emptyFolder', severity: 'warn', message: `${path}/ is empty; left out of the archive`, fix: 'delete it, or keep in it the files it was meant to hold', evidence: [{file: path}]})
  }
  const perFile = await mapWithConcurrency(tree.files, READ_CONCURRENCY, async file => {
    const found: Finding[] = []
    if (file.size > options.maxFileSize) {
      found.push({ruleId: 'submit.fileTooLarge', severity: 'error', message: `${file.path} is ${file.size} bytes, over the limit of ${options.maxFileSize}`,
        fix: 'leave out what the rules do not ask for (datasets, model state, core dumps), or raise --max-file-size', evidence: [{file: file.path, value: file.size}]})
      return {found}
    }
    const data = await readFile(file.absolute)
    const entry: ManifestFile = {path: file.path, size: data.byteLength, sha256: sha256(data)}
    if (!isText(data)) return {found, entry}
    const text = data.toString('utf8')
    const secrets = options.allowSecretsIn.has(file.path) ? [] : findSecrets(text)
    for (const hit of secrets) {
      found.push({ruleId: 'submit.secret', severity: 'error', message: `${file.path}:${hit.line}: ${hit.what} (${hit.masked})`,
        fix: `remove or redact it from the file (and rotate the credential); if it is no secret, pass --allow-secrets-in ${file.path}`, evidence: [{file: file.path, path: `line ${hit.line}`}]})
    }
    const paths = findMachinePaths(text, options.prefixes)
    if (paths.length > 0) {
      found.push({ruleId: 'submit.machinePath', severity: options.rewritePaths ? 'info' : 'warn',
        message: `${file.path}: ${paths.length} absolute path${paths.length === 1 ? '' : 's'} of this machine (${paths.slice(0, 2).join(', ')}${paths.length > 2 ? ', ...' : ''})${options.rewritePaths ? '; rewritten in the archive' : ''}`,
        fix: options.rewritePaths ? undefined : 'pass --rewrite-paths to write them as <results-dir>, <tmp> and ~ in the archive', evidence: [{file: file.path}]})
      if (options.rewritePaths) {
        const archived = Buffer.from(rewriteMachinePaths(text, options.prefixes))
        rewritten.add(file.path)
        return {found, entry: {path: file.path, size: archived.byteLength, sha256: sha256(archived), original: {size: entry.size, sha256: entry.sha256}}}
      }
    }
    return {found, entry}
  })
  findings.push(...perFile.flatMap(({found}) => found))
  const content = async (file: TreeFile) => {
    const data = await readFile(file.absolute)
    return rewritten.has(file.path) ? Buffer.from(rewriteMachinePaths(data.toString('utf8'), options.prefixes)) : data
  }
  return {findings, manifest: perFile.flatMap(({entry}) => entry ? [entry] : []), content}
}
