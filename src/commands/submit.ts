import {stat} from 'node:fs/promises'
import {dirname, relative, resolve} from 'node:path'
import {Args, Flags} from '@oclif/core'
import {MlpsCommand} from '../command/mlps-command.js'
import {loadConfig} from '../config/load-config.js'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {getRegistry} from '../registry/load-registry.js'
import {writeFileAtomic} from '../results/atomic-write.js'
import {collectTree} from '../submit/collect-files.js'
import {lintTree} from '../submit/lint-tree.js'
import {machinePrefixes} from '../submit/machine-paths.js'
import {parseSize} from '../submit/parse-size.js'
import {MANIFEST_FILE, writeArchive} from '../submit/write-archive.js'
import {verifyTree} from '../verify/evaluate.js'
import type {Finding} from '../verify/finding.js'
import {renderFindingsByRule} from '../verify/render-findings.js'
import {loadResultsTree} from '../verify/tree-loader.js'
import {editionFlag, optionFlag, parseRuleOptions, resolveEdition} from './verify.js'

const MANIFEST_SCHEMA_VERSION = 1

interface SubmitResult {
  output?: string
  sha256?: string
  bytes?: number
  dryRun: boolean
  edition: string
  category: string
  forced: boolean
  files: Array<{path: string; size: number; sha256: string}>
  lint: Finding[]
}

export default class Submit extends MlpsCommand {
  static summary = 'Check a results tree and package it as one reproducible archive with a manifest'
  static description = 'Verifies the tree with the rules edition and refuses an INVALID one (exit 4; --force packages it anyway and says so in the manifest). Lints what should not be handed in: editor and OS leftovers and empty folders (left out), files over --max-file-size and anything that looks like a credential (refused, exit 2), absolute paths of this machine (--rewrite-paths writes them as <results-dir>, <tmp> and ~). The archive (.tar.gz, mlps-manifest.json first: every file\'s size and SHA-256) is byte-identical for the same tree; its own SHA-256 goes to <output>.sha256. .mlps/ is never included.'
  static examples = [
    '<%= config.bin %> submit mlps-results --output acme-v3.0.tar.gz',
    '<%= config.bin %> submit --dry-run',
    '<%= config.bin %> submit ./submission --output out.tar.gz --rewrite-paths --max-file-size 200M',
  ]
  static args = {'results-dir': Args.string({description: 'the results tree (default: resultsDir from the config)'})}
  static flags = {
    output: Flags.string({char: 'o', description: 'the archive to write (.tar.gz); its checksum goes beside it as <output>.sha256'}),
    'dry-run': Flags.boolean({description: 'check and list what would go in; write nothing'}),
    force: Flags.boolean({description: 'package a tree verify calls INVALID (recorded in the manifest)'}),
    'max-file-size': Flags.string({description: 'refuse files larger than this (bytes, or K/M/G)', default: '100M'}),
    'rewrite-paths': Flags.boolean({description: 'write absolute paths of this machine as <results-dir>, <tmp> and ~ in the archived copies'}),
    'allow-secrets-in': Flags.string({description: 'a file (relative to the tree) whose secret-looking values you checked are none (repeatable)', multiple: true}),
    edition: editionFlag,
    option: optionFlag,
  }

  async run(): Promise<SubmitResult> {
    const {args, flags} = await this.parse(Submit)
    const resultsDir = args['results-dir'] ?? (await loadConfig({configFile: flags.config})).config.resultsDir
    const root = resolve(resultsDir)
    if (!flags['dry-run'] && !flags.output) throw new MlpsError('no archive to write', {where: '--output', fix: 'pass --output <file>.tar.gz, or --dry-run to see what would go in'})
    const output = flags.output ? resolve(flags.output) : undefined
    if (output && !relative(root, output).startsWith('..')) {
      throw new MlpsError('the archive would land inside the tree it packages', {where: '--output', fix: 'write it outside the results dir'})
    }
    if (output && !(await stat(dirname(output)).catch(() => undefined))?.isDirectory()) {
      throw new MlpsError(`the folder ${dirname(output)} does not exist`, {where: '--output', fix: 'create it first, or write the archive elsewhere'})
    }
    const maxFileSize = parseSize(flags['max-file-size'], '--max-file-size')
    const edition = await resolveEdition(this, flags.edition, flags.config)
    const options = parseRuleOptions(edition, flags.option)
    const progress = this.createProgress()

    progress.stage(`Verifying ${resultsDir} with edition ${edition.name}`)
    const tree = await loadResultsTree(resultsDir, (await getRegistry(this.config)).results())
    if (tree.runs.length === 0) throw new MlpsError('no runs in it', {where: resultsDir, fix: 'point at the results tree the runs were written to'})
    const report = verifyTree(tree, edition, options)
    const invalid = report.category === 'INVALID'

    progress.stage('Linting the files')
    const collected = await collectTree(root)
    const prefixes = machinePrefixes(root)
    const lint = await lintTree(collected, {maxFileSize, prefixes, allowSecretsIn: new Set(flags['allow-secrets-in'] ?? []), rewritePaths: flags['rewrite-paths']})
    progress.done()
    const lintErrors = lint.findings.filter(finding => finding.severity === 'error')
    if (lint.findings.length > 0) this.say(renderFindingsByRule(lint.findings))

    const files = lintErrors.length > 0 ? [] : lint.manifest
    const result: SubmitResult = {dryRun: flags['dry-run'], edition: edition.name, category: report.category, forced: invalid && flags.force, files, lint: lint.findings}

    if (invalid && !flags.force) {
      process.exitCode = ExitCode.Invalid
      this.say(renderFindingsByRule(report.findings.filter(finding => finding.severity === 'error')))
      this.say(`refused: verify (edition ${edition.name}) calls the tree INVALID; fix the errors above (mlps status lists what is missing), or pass --force to package it anyway (recorded in the manifest)`)
      return result
    }
    if (lintErrors.length > 0) {
      process.exitCode = ExitCode.BadInput
      this.say(`refused: ${lintErrors.length} file problem${lintErrors.length === 1 ? '' : 's'} above must be fixed before the tree is handed in`)
      return result
    }
    if (flags['dry-run']) {
      if (!this.jsonEnabled()) this.say([`would archive ${files.length} files (${files.reduce((sum, file) => sum + file.size, 0)} bytes), verify says ${report.category}${result.forced ? ' (forced)' : ''}:`, ...files.map(file => `  ${file.path}  ${file.size}`)].join('\n'))
      return result
    }

    const manifest = {
      schemaVersion: MANIFEST_SCHEMA_VERSION,
      createdBy: {mlps: this.config.version},
      edition: edition.name, category: report.category,
      forced: result.forced, ...(result.forced ? {forcedErrors: report.findings.filter(finding => finding.severity === 'error').length} : {}),
      pathsRewritten: flags['rewrite-paths'] ? prefixes.map(({replacement}) => replacement).filter((value, index, all) => all.indexOf(value) === index) : [],
      files,
    }
    const mtime = sourceDateEpoch()
    const archive = await writeArchive(output!, Buffer.from(JSON.stringify(manifest, null, 2) + '\n'), collected.files, lint.content, mtime)
    await writeFileAtomic(`${output}.sha256`, `${archive.sha256}  ${output!.split('/').at(-1)}\n`)
    Object.assign(result, {output, sha256: archive.sha256, bytes: archive.bytes})
    if (!this.jsonEnabled()) this.say(`wrote ${output} (${archive.bytes} bytes, ${files.length} files, verify says ${report.category}${result.forced ? ', FORCED' : ''})\nsha256 ${archive.sha256} (also in ${output}.sha256; ${MANIFEST_FILE} inside lists every file)`)
    return result
  }
}

/** the time every entry carries: SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the epoch */
function sourceDateEpoch(): number {
  const value = Number(process.env.SOURCE_DATE_EPOCH)
  return Number.isInteger(value) && value >= 0 ? value : 0
}
