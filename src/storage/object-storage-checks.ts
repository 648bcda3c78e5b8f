import {type CheckContext, type CheckResult, type PreflightCheck, runOf} from '../doctor/check.js'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {Registry} from '../registry/registry.js'
import {objectStoragePaths} from './run-storage.js'
import {type ObjectStore, objectStorageEndpoint, openObjectStore} from './s3-client.js'
import {objectKey} from './storage-location.js'

/** One bucket prefix the run reads or writes, with the flag it came from. */
interface BucketTarget {
  bucket: string
  prefix: string
  uri: string
  /** the flag or config key that named the location */
  where: string
  writes: boolean
}

/** A step that could not be taken: the later steps are not evaluable, and say which check tells why. */
type Verdict = {ok: true; detail: string} | {ok: false; result: CheckResult}

const ENDPOINT_ANSWER_MS = 10_000

/**
 * The bucket prefixes of the run: each storage path that is an s3:// URI, and whether the run writes there
 * (what it declared it will write). Object names come from the workload, so a
 * prefix is never listed beyond one key.
 */
function bucketTargets(registry: Registry, ctx: CheckContext): BucketTarget[] {
  const run = runOf(ctx)
  const flags = registry.benchmarks.get(run.benchmark)?.definition.runOptionFlags ?? {}
  const writes = (run.plannedWrites ?? []).map(write => write.path)
  return objectStoragePaths(registry, run).map(({option, location}) => ({
    bucket: location.bucket, prefix: location.prefix, uri: location.uri, where: flags[option] ?? option,
    writes: writes.some(path => path === location.uri || path.startsWith(`${location.uri}/`)),
  }))
}

function usesObjectStorage(registry: Registry, ctx: CheckContext): boolean {
  // `mlps doctor` has no run: the config's section is what it can check
  return ctx.run ? objectStoragePaths(registry, ctx.run).length > 0 : ctx.config.objectStorage !== undefined
}

/** A client error as a failed check: exit 2 when the input is to blame, 3 when the environment is. */
function failed(error: unknown): CheckResult {
  if (!(error instanceof MlpsError)) throw error
  return {status: 'fail', detail: error.where ? `${error.where}: ${error.message}` : error.message, ...(error.fix ? {fix: error.fix} : {}),
    kind: error.exitCode === ExitCode.BadInput ? 'input' : 'environment'}
}

const notEvaluable = (because: string): Verdict => ({ok: false, result: {status: 'skip', detail: `not evaluable: ${because}`}})

/** AWS refused unless allowed (no endpoint means AWS), then the endpoint answers HTTP at all. */
function endpointVerdict(ctx: CheckContext): Promise<Verdict> {
  return ctx.shared('mlps.s3.endpoint', async () => {
    let endpoint: string | undefined
    try {
      endpoint = objectStorageEndpoint(ctx.config.objectStorage, 'objectStorage.endpoint')
    } catch (error) {
      return {ok: false, result: failed(error)}
    }
    if (endpoint === undefined) return {ok: true, detail: 'no endpoint: AWS, as objectStorage.allowAws allows'}
    try {
      // any HTTP answer, even 403 or 404, proves something listens there; only the connection is checked here
      const response = await fetch(endpoint, {method: 'HEAD', signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(ENDPOINT_ANSWER_MS)])})
      return {ok: true, detail: `${endpoint} answers (HTTP ${response.status})`}
    } catch (error) {
      const cause = (error as {cause?: {code?: string}}).cause?.code ?? (error as Error).name
      return {ok: false, result: {status: 'fail', kind: 'environment', detail: `the S3 endpoint ${endpoint} does not answer (${cause})`,
        fix: 'check objectStorage.endpoint (scheme, host and port) and that the object store is running and reachable from this host'}}
    }
  })
}

/**
 * The credentials, resolved as the client resolves them (environment or credentials file), whatever the
 * endpoint check says: the endpoint policy is waived here so that both problems are listed at once.
 * Opening a store sends no request.
 */
function credentialsVerdict(ctx: CheckContext): Promise<Verdict> {
  return ctx.shared('mlps.s3.credentials', async () => {
    const config = ctx.config.objectStorage
    try {
      const store = await openObjectStore({region: 'us-east-1', forcePathStyle: true, credentials: 'environment', ...config, allowAws: true}, {bucket: 'credentials-check', where: 'objectStorage.credentials'})
      store.close()
    } catch (error) {
      return {ok: false, result: failed(error)}
    }
    const source = config?.credentials === 'file'
      ? `the profile "${config.profile ?? process.env.AWS_PROFILE ?? 'default'}" of ${process.env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials'}`
      : 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'
    return {ok: true, detail: `credentials found in ${source} (values never recorded)`}
  })
}

/** The bucket exists, once the endpoint and credentials checks passed (else it cannot be asked). */
function bucketVerdict(ctx: CheckContext, target: BucketTarget): Promise<Verdict> {
  return ctx.shared(`mlps.s3.bucket:${target.bucket}`, async () => {
    if (!(await endpointVerdict(ctx)).ok) return notEvaluable('the endpoint cannot be used (mlps.s3Endpoint says why)')
    if (!(await credentialsVerdict(ctx)).ok) return notEvaluable('no credentials (mlps.s3Credentials says why)')
    try {
      return await withStore(ctx, target, async store => {
        await store.headBucket()
        return {ok: true as const, detail: `the bucket ${target.bucket} exists at ${store.endpoint}`}
      })
    } catch (error) {
      return {ok: false, result: failed(error)}
    }
  })
}

async function withStore<T>(ctx: CheckContext, target: BucketTarget, use: (store: ObjectStore) => Promise<T>): Promise<T> {
  const store = await openObjectStore(ctx.config.objectStorage, {bucket: target.bucket, where: target.where, maxSockets: 2})
  try {
    return await use(store)
  } finally {
    store.close()
  }
}

/** An object-storage check: once per invocation, and only where a location (or, for `mlps doctor`, the config) names a bucket. */
function objectStorageCheck(registry: Registry, check: Omit<PreflightCheck, 'runsOn' | 'appliesTo'>): PreflightCheck {
  return {...check, runsOn: 'invocation', appliesTo: ctx => usesObjectStorage(registry, ctx)}
}

/** A check that reports a shared verdict, the one the later checks ask before they send their own requests. */
function verdictCheck(registry: Registry, id: string, title: string, verdictOf: (ctx: CheckContext) => Promise<Verdict>): PreflightCheck {
  return objectStorageCheck(registry, {
    id,
    title,
    async run(ctx) {
      const verdict = await verdictOf(ctx)
      return verdict.ok ? {status: 'ok', detail: verdict.detail} : verdict.result
    },
  })
}

const endpointCheck = (registry: Registry): PreflightCheck =>
  verdictCheck(registry, 'mlps.s3Endpoint', 'the S3 endpoint is set, is not AWS unless allowed, and answers', endpointVerdict)

const credentialsCheck = (registry: Registry): PreflightCheck =>
  verdictCheck(registry, 'mlps.s3Credentials', 'S3 credentials are present where objectStorage.credentials says', credentialsVerdict)

function bucketCheck(registry: Registry): PreflightCheck {
  return objectStorageCheck(registry, {
    id: 'mlps.s3Bucket',
    title: 'the bucket of every s3:// location exists',
    modes: ['run'],
    async run(ctx) {
      const verdicts = await Promise.all(bucketTargets(registry, ctx).map(target => bucketVerdict(ctx, target)))
      const problem = verdicts.find(verdict => !verdict.ok)
      if (problem && !problem.ok) return problem.result
      return {status: 'ok', detail: [...new Set(verdicts.map(verdict => verdict.ok ? verdict.detail : ''))].join('; ')}
    },
  })
}

const READ_PROBE = '.mlps-read-probe'

/**
 * Readable: a HEAD under the prefix. Writable, for runs that write there: a small probe object put, read
 * back and deleted under the prefix, so a run does not find out after its start-up.
 */
function accessCheck(registry: Registry): PreflightCheck {
  return objectStorageCheck(registry, {
    id: 'mlps.s3Access',
    title: 'the run can read (and, where it writes, write) its bucket prefixes',
    modes: ['run'],
    async run(ctx) {
      const lines: Array<string | {problem: string}> = []
      for (const target of bucketTargets(registry, ctx)) {
        const bucket = await bucketVerdict(ctx, target)
        if (!bucket.ok) return {status: 'skip', detail: `not evaluable: ${target.uri} cannot be opened (mlps.s3Bucket says why)`}
        try {
          lines.push(await withStore(ctx, target, async store => {
            // a HEAD of a name nobody wrote answers 404 to whom may read the prefix, 403 to whom may not; a listing is never needed
            await store.headObject(objectKey(target, READ_PROBE))
            if (!target.writes) return `${target.uri}: readable (a HEAD under the prefix answered)`
            if (runOf(ctx).dryRun) return `${target.uri}: readable; writing is not probed by a dry run, which writes nothing`
            const probe = objectKey(target, `.mlps-write-probe-${runOf(ctx).runId}`)
            const body = Buffer.from(`mlps write probe ${runOf(ctx).runId}\n`)
            await store.putObject(probe, body)
            const read = await store.getObject(probe)
            await store.deleteObject(probe)
            if (!read.equals(body)) {
              return {problem: `${target.uri}: the probe object read back differs from what was written (${read.byteLength} of ${body.byteLength} bytes)`}
            }
            return `${target.uri}: readable and writable (a probe object put, read back and deleted)`
          }))
        } catch (error) {
          return failed(error)
        }
      }
      const problems = lines.filter((line): line is {problem: string} => typeof line !== 'string')
      if (problems.length > 0) {
        return {status: 'fail', detail: problems.map(line => line.problem).join('; '), fix: 'check the object store\'s health and logs: what a run writes must read back unchanged'}
      }
      return {status: 'ok', detail: lines.join('; ')}
    },
  })
}

/** The object-storage checks before a run on a bucket; `mlps doctor` runs the endpoint and credentials ones from the config. */
export function objectStorageChecks(registry: Registry): PreflightCheck[] {
  return [endpointCheck(registry), credentialsCheck(registry), bucketCheck(registry), accessCheck(registry)]
}
