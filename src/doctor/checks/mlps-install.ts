import type {CheckResult, PreflightCheck} from '../check.js'
import {nodeVersionProblem} from '../node-requirement.js'

/** `mlps/0.1.0 linux-x64 node-v20.20.2` → versions */
export function parseVersionLine(text: string): {mlps: string; node: string} | undefined {
  const match = /mlps\/(\S+)\s+\S+\s+node-(v[\d.]+)/.exec(text)
  return match ? {mlps: match[1], node: match[2]} : undefined
}

/**
 * mlps and Node on every host, at the paths of this one (user-asks.md §1.1:
 * "code and data paths must be exactly the same on every host").
 */
export const mlpsInstallCheck: PreflightCheck = {
  id: 'mlps.install',
  title: 'mlps and Node.js, same versions and paths on every host',
  runsOn: 'hosts',
  sameOnEveryHost: 'warn',
  async run(ctx, host): Promise<CheckResult> {
    let versions: {mlps: string; node: string}
    if (ctx.isLocal(host)) {
      versions = {mlps: ctx.mlps.version, node: process.version}
    } else {
      const result = await ctx.shell(host).exec([ctx.mlps.node, ctx.mlps.bin, '--version'], {timeoutMs: 60_000, signal: ctx.signal})
      if (result.failure && result.exitCode === undefined && !/not found/.test(result.failure)) return {status: 'skip', detail: `not evaluable: ${result.failure}`}
      const parsed = result.exitCode === 0 ? parseVersionLine(result.stdout) : undefined
      if (!parsed) {
        return {
          status: 'warn', detail: `no mlps at ${ctx.mlps.bin} run by ${ctx.mlps.node} on ${host}${result.stderr.trim() ? ` (${result.stderr.trim().split('\n').pop()})` : ''}`,
          fix: `install mlps ${ctx.mlps.version} and Node.js ${process.version} at the same paths as on this host`,
        }
      }
      versions = parsed
    }
    const problem = nodeVersionProblem(versions.node)
    if (problem) return {status: 'fail', ...problem, versions}
    return {status: 'ok', detail: `mlps ${versions.mlps} on Node.js ${versions.node}`, versions}
  },
}

/** The plugins this mlps loaded, with their versions: recorded by the lockfile. */
export const mlpsPluginsCheck: PreflightCheck = {
  id: 'mlps.plugins',
  title: 'mlps plugins',
  runsOn: 'controller',
  async run(ctx): Promise<CheckResult> {
    const names = Object.keys(ctx.mlps.plugins)
    return {status: 'ok', detail: `${names.length} plugin(s) loaded`, versions: {...ctx.mlps.plugins}}
  },
}
