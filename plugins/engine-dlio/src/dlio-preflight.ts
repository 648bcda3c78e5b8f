import {access} from 'node:fs/promises'
import {join, resolve} from 'node:path'
import {DlioRunOptionsSchema, requireRunOptions, type DlioRunOptions} from '@mlps/run-options'
import {type CheckContext, type CheckResult, ExitCode, MlpsError, type PreflightCheck, type RunContext} from 'mlps'
import {runOf} from 'mlps/unstable'
import {type PreparedDlio, prepareDlio} from './dlio-prepare.js'
import {dlioObjectStorage, workloadOnBucket} from './object-storage.js'

type Preparation = {prepared: PreparedDlio} | {problem: MlpsError}

/** The run a check reads, narrowed to the DLIO-shaped options its benchmark hands the engine. */
const dlioRunOf = (check: CheckContext): RunContext<DlioRunOptions> => requireRunOptions(runOf(check), DlioRunOptionsSchema, 'the dlio engine')

/** The run prepared once for every check that reads it; a preparation that fails is dlio.launch's to report. */
function preparation(check: CheckContext): Promise<Preparation> {
  return check.shared('dlio.prepared', async () => {
    try {
      return {prepared: await prepareDlio(dlioRunOf(check))}
    } catch (error) {
      if (!(error instanceof MlpsError)) throw error
      return {problem: error}
    }
  })
}

function dlioRunCheck(id: string, title: string, judge: (ctx: RunContext<DlioRunOptions>, prepared: PreparedDlio) => Promise<CheckResult>, appliesTo?: (ctx: CheckContext) => boolean): PreflightCheck {
  return {
    id, title, runsOn: 'invocation', engine: 'dlio', modes: ['run'], ...(appliesTo ? {appliesTo} : {}),
    async run(check) {
      const found = await preparation(check)
      if ('problem' in found) return {status: 'skip', detail: 'not evaluable: the run cannot be launched (dlio.launch says why)'}
      return judge(dlioRunOf(check), found.prepared)
    },
  }
}

/**
 * engines.md §5.1 before anything starts: a launcher for the ranks asked; hosts with enough slots; the
 * config dir, when the user brings one, holding the workload. Beside the dlio.installed / dlio.python
 * checks, which say on every host whether DLIO is installed and importable.
 */
export const dlioRunChecks: PreflightCheck[] = [
  {
    id: 'dlio.launch', title: 'a launcher starts the ranks asked on the hosts given', runsOn: 'invocation', engine: 'dlio', modes: ['run'],
    async run(check) {
      const found = await preparation(check)
      if ('prepared' in found) return {status: 'ok', detail: `${found.prepared.launch.launcher.kind} starts ${found.prepared.launch.placement.numProcesses} rank(s)`}
      const error = found.problem
      return {status: 'fail', detail: error.where ? `${error.where}: ${error.message}` : error.message, ...(error.fix ? {fix: error.fix} : {}),
        kind: error.exitCode === ExitCode.EnvironmentNotReady ? 'environment' : 'input'}
    },
  },
  dlioRunCheck('dlio.configDir', 'engines.dlio.configDir holds the workload', async (ctx, prepared) => {
    const missing: string[] = []
    for (const file of ['config.yaml', join('workload', `${ctx.options.workloadName}.yaml`)]) {
      try {
        await access(join(prepared.configDir, file))
      } catch {
        missing.push(file)
      }
    }
    if (missing.length === 0) return {status: 'ok', detail: `${resolve(prepared.configDir)} holds config.yaml and workload/${ctx.options.workloadName}.yaml`}
    return {status: 'fail', kind: 'input', detail: missing.map(file => `engines.dlio.configDir ${resolve(prepared.configDir)} has no ${file}`).join('; '),
      fix: 'point engines.dlio.configDir at a DLIO config dir (as mlpstorage\'s configs/dlio), or remove it to let mlps write one into the leaf'}
  }, check => typeof check.run?.engineOptions.configDir === 'string'),
  dlioRunCheck('dlio.envAllowList', 'every variable launcher.envAllowList names is set', async (ctx, prepared) => {
    // the credential variables forwarded for a bucket are the credentials check's (AWS_SESSION_TOKEN is often rightly unset)
    const notSet = prepared.launch.notSet.filter(name => ctx.config.launcher.envAllowList.includes(name))
    return notSet.length === 0
      ? {status: 'ok', detail: 'every listed variable is set'}
      : {status: 'warn', detail: `launcher.envAllowList names variables that are not set, so nothing is forwarded for them: ${notSet.join(', ')}`}
  }),
  dlioRunCheck('dlio.objectStorage', 'DLIO can read and write the bucket with the storage library chosen', async (ctx, prepared) => {
    const storage = dlioObjectStorage(ctx, prepared.options)!
    const {library, uriScheme} = prepared.options.objectStorage
    if (ctx.config.objectStorage?.credentials === 'file') {
      return {status: 'fail', kind: 'input', detail: 'objectStorage.credentials is "file", but DLIO v3.0 takes S3 credentials only from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (dlio_benchmark/utils/config.py)',
        fix: 'set objectStorage.credentials to "environment" and export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'}
    }
    const format = ctx.options.workload.dataset?.format
    if (library === 's3torchconnector' && ctx.benchmark === 'training' && format !== undefined && !['npz', 'npy'].includes(format)) {
      return {status: 'fail', kind: 'input', detail: `DLIO reads ${format} training data from a bucket only with s3dlio or minio; s3torchconnector takes NPZ and NPY only`,
        fix: 'set engines.dlio.objectStorage.library to s3dlio (or minio)'}
    }
    return {status: 'ok', detail: `${library} on ${uriScheme}://${storage.bucket} at ${storage.env.AWS_ENDPOINT_URL ?? 'the default endpoint'}, credentials forwarded by name: ${storage.forwarded.join(', ')}`}
  }, check => check.run !== undefined && check.run.engine?.name === 'dlio' && workloadOnBucket(dlioRunOf(check).options.workload)),
]
