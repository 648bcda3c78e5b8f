import {readFile} from 'node:fs/promises'
import type {Finding} from '../verify/finding.js'
import type {CollectedTree} from './collect-files.js'
import {findMachinePaths, type MachinePrefix} from './machine-paths.js'
import {findSecrets} from './secret-patterns.js'

export interface LintOptions {
  maxFileSize: number
  prefixes: readonly MachinePrefix[]
  /** files the user checked and vouches for (a value that only looks like a secret) */
  allowSecretsIn: ReadonlySet<string>
  rewritePaths: boolean
}

export interface LintResult {
  findings: Finding[]
  /** text files holding machine paths: rewritten in the archive when asked */
  withMachinePaths: Set<string>
}

/** what a text file is told by: no NUL byte in its first 8 KiB */
const isText = (data: Buffer) => !data.subarray(0, 8192).includes(0)

/**
 * What should not be handed in. Errors refuse the archive (a secret, a file
 * over the size limit); warnings are said and handled (junk and empty
 * folders are left out, machine paths rewritten when asked).
 */
export async function lintTree(tree: CollectedTree, options: LintOptions): Promise<LintResult> {
  const findings: Finding[] = []
  const withMachinePaths = new Set<string>()
  for (const {path, reason} of tree.leftOut) {
    findings.push({ruleId: 'submit.leftOut', severity: 'warn', message: `${path}: ${reason}; left out of the archive`, fix: 'delete it from the tree', evidence: [{file: path}]})
  }
  for (const path of tree.emptyFolders) {
    findings.push({ruleId: 'submit.emptyFolder', severity: 'warn', message: `${path}/ is empty; left out of the archive`, fix: 'delete it, or keep in it the files it was meant to hold', evidence: [{file: path}]})
  }
  for (const file of tree.files) {
    if (file.size > options.maxFileSize) {
      findings.push({ruleId: 'submit.fileTooLarge', severity: 'error', message: `${file.path} is ${file.size} bytes, over the limit of ${options.maxFileSize}`,
        fix: 'leave out what the rules do not ask for (datasets, model state, core dumps), or raise --max-file-size', evidence: [{file: file.path, value: file.size}]})
      continue
    }
    const data = await readFile(file.absolute)
    if (!isText(data)) continue
    const text = data.toString('utf8')
    const secrets = options.allowSecretsIn.has(file.path) ? [] : findSecrets(text)
    for (const hit of secrets) {
      findings.push({ruleId: 'submit.secret', severity: 'error', message: `${file.path}:${hit.line}: ${hit.what} (${hit.masked})`,
        fix: `remove or redact it from the file (and rotate the credential); if it is no secret, pass --allow-secrets-in ${file.path}`, evidence: [{file: file.path, path: `line ${hit.line}`}]})
    }
    const paths = findMachinePaths(text, options.prefixes)
    if (paths.length > 0) {
      withMachinePaths.add(file.path)
      findings.push({ruleId: 'submit.machinePath', severity: options.rewritePaths ? 'info' : 'warn',
        message: `${file.path}: ${paths.length} absolute path${paths.length === 1 ? '' : 's'} of this machine (${paths.slice(0, 2).join(', ')}${paths.length > 2 ? ', ...' : ''})${options.rewritePaths ? '; rewritten in the archive' : ''}`,
        fix: options.rewritePaths ? undefined : 'pass --rewrite-paths to write them as <results-dir>, <tmp> and ~ in the archive', evidence: [{file: file.path}]})
    }
  }
  return {findings, withMachinePaths}
}
