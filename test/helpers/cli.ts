import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {execa, type ResultPromise} from 'execa'

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
export const mlpsBin = join(repoRoot, 'bin', 'run.js')

const madeDirs: string[] = []

/** A fresh folder under the system's temp dir, removed when the test process exits (runs leave gigabytes in them). */
export function tempDir(prefix = 'mlps-test-'): string {
  if (madeDirs.length === 0) process.once('exit', () => {
    for (const dir of madeDirs) rmSync(dir, {recursive: true, force: true})
  })
  const dir = mkdtempSync(join(tmpdir(), prefix))
  madeDirs.push(dir)
  return dir
}

/** The organization and system every CLI test's site names (as a site's environment would), so CLOSED runs can start. */
export const TEST_ORGANIZATION = 'mlps-test'
export const TEST_SYSTEM_NAME = 'test-sut'

/**
 * An isolated home for the CLI: its own data, cache and config dirs, no
 * inherited MLPS_* settings, and the test site's organization and system
 * name (MLPS_ORGANIZATION, MLPS_SYSTEM_NAME); `withoutSiteNames` takes them out.
 */
export function isolatedEnv(home = tempDir('mlps-home-')): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('MLPS_')) env[key] = value
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    MLPS_DATA_DIR: join(home, 'data'),
    MLPS_CACHE_DIR: join(home, 'cache'),
    MLPS_CONFIG_DIR: join(home, 'config'),
    OCLIF_DISABLE_LINKED_ESM_WARNING: '1',
    NO_COLOR: '1',
    MLPS_ORGANIZATION: TEST_ORGANIZATION,
    MLPS_SYSTEM_NAME: TEST_SYSTEM_NAME,
  }
}

/** The environment without the site's names: a user who set neither (for the tests of what happens then). */
export function withoutSiteNames(env: NodeJS.ProcessEnv = isolatedEnv()): NodeJS.ProcessEnv {
  const {MLPS_ORGANIZATION: _organization, MLPS_SYSTEM_NAME: _systemName, ...rest} = env
  return rest
}

export interface CliResult {
  exitCode: number
  stdout: string
  stderr: string
}

/** Run the built CLI (bin/run.js) as a user would. */
export async function runCli(args: string[], options: {env?: NodeJS.ProcessEnv; cwd?: string} = {}): Promise<CliResult> {
  const result = await execa(process.execPath, [mlpsBin, ...args], {
    env: options.env ?? isolatedEnv(), cwd: options.cwd ?? repoRoot, reject: false, extendEnv: false, stdin: 'ignore',
  })
  return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)}
}

/** Start the CLI without waiting, for signal tests. */
export function startCli(args: string[], options: {env?: NodeJS.ProcessEnv; cwd?: string} = {}): ResultPromise {
  return execa(process.execPath, [mlpsBin, ...args], {
    env: options.env ?? isolatedEnv(), cwd: options.cwd ?? repoRoot, reject: false, extendEnv: false, stdin: 'ignore',
  })
}

export function parseJson<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.exitCode}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`)
  }
}
