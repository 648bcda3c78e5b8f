import type {CheckContext, HostShell} from 'mlps'

// pip's record of where a distribution came from (PEP 610 direct_url.json), printed as JSON or nothing
const READ_DIRECT_URL = 'import importlib.metadata as m\ntry:\n    print(m.distribution("dlio-benchmark").read_text("direct_url.json") or "")\nexcept Exception:\n    print("")'

/**
 * What DLIO was installed from, for the lockfile: every DLIO since the v3.0 pin reports version 3.0.0,
 * so the version cannot tell two hosts apart. A pip install from git records the commit
 * (`vcs_info.commit_id`); one from a source folder or archive its name (e.g. `dlio_benchmark-4be40e6`),
 * without the temporary folder it was unpacked in; an index install nothing.
 */
export async function dlioInstallSource(ctx: CheckContext, shell: HostShell, python: readonly string[]): Promise<Record<string, string>> {
  const result = await shell.exec([...python, '-c', READ_DIRECT_URL], {timeoutMs: 60_000, signal: ctx.signal})
  const text = result.exitCode === 0 ? result.stdout.trim() : ''
  if (!text) return {}
  try {
    const direct = JSON.parse(text) as {url?: string; vcs_info?: {commit_id?: string; vcs?: string}; archive_info?: {hash?: string}}
    if (direct.vcs_info?.commit_id) return {'dlio-benchmark commit': direct.vcs_info.commit_id, 'dlio-benchmark source': direct.url ?? ''}
    if (!direct.url) return {}
    const url = new URL(direct.url)
    return {'dlio-benchmark source': url.protocol === 'file:' ? url.pathname.split('/').filter(Boolean).pop() ?? direct.url : direct.url,
      ...(direct.archive_info?.hash ? {'dlio-benchmark archive': direct.archive_info.hash} : {})}
  } catch {
    return {}
  }
}
