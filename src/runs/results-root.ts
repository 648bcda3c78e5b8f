import {stat} from 'node:fs/promises'
import {resolve} from 'node:path'
import {MlpsError} from '../errors.js'

/** `<root>/<closed|open>/<org>/results/...`: the slash before each division segment (a lookahead, so nested matches are all found) */
const DIVISION = /\/(?=(?:closed|open)\/[^/]+\/results\/)/gi

/** The results dir a run leaf sits in: the folder above its division folder; undefined outside the canonical tree. */
export function resultsRootOf(leaf: string): string | undefined {
  const absolute = resolve(leaf) + '/'
  const matches = [...absolute.matchAll(DIVISION)]
  const last = matches.at(-1)
  return last?.index === undefined || last.index === 0 ? undefined : absolute.slice(0, last.index)
}

/** A run leaf named on the command line: as given, else under the results dir; bad input when neither is a folder. */
export async function resolveLeaf(path: string, resultsDir: string | undefined, where: string): Promise<string> {
  for (const candidate of [resolve(path), ...resultsDir ? [resolve(resultsDir, path)] : []]) {
    if ((await stat(candidate).catch(() => undefined))?.isDirectory()) return candidate
  }
  throw new MlpsError(`no run folder ${path}`, {where, fix: 'pass the folder of a run leaf (mlps runs list shows them), absolute or relative to the results dir'})
}
