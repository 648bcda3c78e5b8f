import {access} from 'node:fs/promises'
import {join, resolve} from 'node:path'
import type {DlioRunOptions} from '@mlps/run-options'
import {ExitCode, MlpsError, type RunContext} from 'mlps'
import {checkDlioImports, resolveDlioBinary} from './dlio-binary.js'
import {dlioOptions, prepareDlio} from './dlio-prepare.js'
import {objectStorageParams} from './object-storage.js'

export const DLIO_STATE = '@mlps/plugin-engine-dlio'

export interface DlioState {
  version?: string
}

/**
 * engines.md §5.1 before anything starts: a launcher for the ranks asked; hosts with enough slots; the
 * config dir, when the user brings one, holding the workload. Every problem becomes a finding, so all are
 * reported at once, beside those of the contributed dlio.installed / dlio.python checks.
 */
export async function dlioPreflight(ctx: RunContext<DlioRunOptions>): Promise<void> {
  // recorded where the rules look for them: tool-injected, beside the data folder
  Object.assign(ctx.parameters.toolInjected, objectStorageParams(dlioOptions(ctx), ctx.parameters.userOverrides))
  let prepared
  try {
    prepared = await prepareDlio(ctx)
  } catch (error) {
    if (!(error instanceof MlpsError)) throw error
    ctx.addFinding({
      ruleId: 'dlio.launch', severity: 'error', message: error.where ? `${error.where}: ${error.message}` : error.message, fix: error.fix,
      kind: error.exitCode === ExitCode.EnvironmentNotReady ? 'environment' : 'input',
    })
  }
  const state: DlioState = {}
  ctx.state.set(DLIO_STATE, state)
  const options = dlioOptions(ctx)
  // whether DLIO is installed and importable is the dlio.installed / dlio.python checks' to say
  // (dlio-checks.ts, on every host, in the same preflight); here only the version is kept for the record
  const binary = await resolveDlioBinary(ctx.options.dlioBin, options.bin)
  if (binary.path) {
    const check = await checkDlioImports(binary.path, options.python)
    if (check.ok === true) state.version = check.version
  }
  if (prepared && !prepared.writesConfigDir) {
    for (const file of ['config.yaml', join('workload', `${ctx.options.workloadName}.yaml`)]) {
      try {
        await access(join(prepared.configDir, file))
      } catch {
        ctx.addFinding({ruleId: 'dlio.configDir', severity: 'error', kind: 'input', message: `engines.dlio.configDir ${resolve(prepared.configDir)} has no ${file}`, fix: 'point engines.dlio.configDir at a DLIO config dir (as mlpstorage\'s configs/dlio), or remove it to let mlps write one into the leaf'})
      }
    }
  }
  if (prepared && prepared.launch.notSet.length > 0) {
    ctx.addFinding({ruleId: 'dlio.envAllowList', severity: 'warn', message: `launcher.envAllowList names variables that are not set, so nothing is forwarded for them: ${prepared.launch.notSet.join(', ')}`})
  }
}
