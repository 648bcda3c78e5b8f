import {access} from 'node:fs/promises'
import {join, resolve} from 'node:path'
import {ExitCode, MlpsError, type RunContext} from 'mlps'
import {checkDlioImports, DLIO_INSTALL_HINT, resolveDlioBinary} from './dlio-binary.js'
import {dlioOptions, prepareDlio} from './dlio-prepare.js'
import {objectStorageParams} from './object-storage.js'

export const DLIO_STATE = '@mlps/plugin-engine-dlio'

export interface DlioState {
  version?: string
}

/**
 * engines.md §5.1 before anything starts: dlio_benchmark resolvable and its Python able to import DLIO,
 * mpi4py and hydra; a launcher for the ranks asked; hosts with enough slots; the config dir, when the
 * user brings one, holding the workload. Every problem becomes a finding, so all are reported at once.
 */
export async function dlioPreflight(ctx: RunContext): Promise<void> {
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
  const binary = await resolveDlioBinary(typeof ctx.options.dlioBin === 'string' ? ctx.options.dlioBin : undefined, options.bin)
  if (!binary.path) {
    ctx.addFinding({
      ruleId: 'dlio.binary', severity: 'error', kind: 'environment',
      message: `dlio_benchmark was not found (looked at ${binary.tried.join(', ')}); the dlio engine runs the real DLIO, which mlps does not bundle`,
      fix: `${DLIO_INSTALL_HINT}; or run with --engine native, the built-in emulation`,
    })
  } else {
    const check = await checkDlioImports(binary.path, options.python)
    if (check.ok === true) state.version = check.version
    else if (check.ok === false) ctx.addFinding({ruleId: 'dlio.imports', severity: 'error', kind: 'environment', message: check.problem, fix: DLIO_INSTALL_HINT})
    else ctx.addFinding({ruleId: 'dlio.imports', severity: 'info', notEvaluable: true, message: `not evaluable: ${check.why}`})
  }
  if (prepared && !prepared.writesConfigDir) {
    for (const file of ['config.yaml', join('workload', `${ctx.workloadName}.yaml`)]) {
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
