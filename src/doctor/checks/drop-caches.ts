import {access, constants} from 'node:fs/promises'
import type {CheckResult, PreflightCheck} from '../check.js'

const DROP_CACHES = '/proc/sys/vm/drop_caches'

/** Permission to drop the page cache (user-asks.md §1.1: a sudo prompt at scale, storage#391). */
export const dropCachesCheck: PreflightCheck = {
  id: 'mlps.dropCaches',
  title: 'permission to drop the page cache',
  runsOn: 'hosts',
  appliesTo: ctx => ctx.mode === 'doctor' || ctx.run?.options.dropCaches === true,
  async run(ctx, host): Promise<CheckResult> {
    let uid: number | undefined
    let writable: boolean
    if (ctx.isLocal(host)) {
      if (process.platform !== 'linux') return {status: 'skip', detail: `not evaluable: ${DROP_CACHES} exists on Linux only`}
      uid = process.getuid?.()
      writable = await access(DROP_CACHES, constants.W_OK).then(() => true, () => false)
    } else {
      const result = await ctx.shell(host).exec(['sh', '-c', `id -u; if [ -w ${DROP_CACHES} ]; then echo writable; fi`], {timeoutMs: 30_000, signal: ctx.signal})
      if (result.exitCode === undefined) return {status: 'skip', detail: `not evaluable: ${result.failure}`}
      const [id, flag] = result.stdout.trim().split('\n')
      uid = Number(id)
      writable = flag === 'writable'
    }
    if (writable) return {status: 'ok', detail: `${DROP_CACHES} is writable${uid === 0 ? ' (root)' : ''}`}
    const why = uid === 0 ? `${DROP_CACHES} is read-only even for root (a container without privileges?)` : `not root (uid ${uid}), so ${DROP_CACHES} cannot be written`
    return {
      status: ctx.mode === 'run' ? 'fail' : 'warn', detail: why,
      fix: uid === 0 ? 'run on the host or in a privileged container' : 'run mlps as root (or with a sudo rule for it) where caches must be dropped, or leave out --drop-caches',
    }
  },
}
