import {mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {execa} from 'execa'
import {writeValidTree} from '../test/verify/valid-tree.js'
import {bestOfThreeMs} from './figures.js'

const COPIES = 125 // × 10 leaves = 1,250 run leaves

/**
 * Time `mlps submit` (the built CLI: verify, lint every file, manifest,
 * archive) over a synthetic tree of 1,250 run leaves. Baseline, measured in
 * the same run: GNU tar with gzip over the same tree, sorted, owners fixed,
 * which does neither the verification nor the lint nor the hashing.
 */
export async function benchSubmit(): Promise<Record<string, unknown>> {
  const root = mkdtempSync(join(tmpdir(), 'mlps-bench-submit-'))
  const out = mkdtempSync(join(tmpdir(), 'mlps-bench-submit-out-'))
  try {
    const tree = join(root, 'tree')
    for (let copy = 0; copy < COPIES; copy++) writeValidTree(join(tree, `copy${copy}`))
    const files = readdirSync(tree, {recursive: true, encoding: 'utf8'}).filter(name => statSync(join(tree, name)).isFile()).length
    const tarMs = await bestOfThreeMs(() => execa('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-czf', join(out, 'baseline.tar.gz'), '-C', tree, '.']))
    // the copies sit below the division level, so verify calls the tree INVALID: --force packages it anyway
    const submitMs = await bestOfThreeMs(() => execa(process.execPath, [join(import.meta.dirname, '..', 'bin', 'run.js'), 'submit', tree, '--output', join(out, 'mlps.tar.gz'), '--force', '--json'],
      {env: {...process.env, MLPS_DATA_DIR: join(out, 'data')}}))
    return {
      bench: 'submit', files, tarGzipMs: Math.round(tarMs), submitMs: Math.round(submitMs),
      submitVsTarGzip: Number((submitMs / tarMs).toFixed(2)),
      archiveBytes: statSync(join(out, 'mlps.tar.gz')).size, tarGzipBytes: statSync(join(out, 'baseline.tar.gz')).size,
    }
  } finally {
    rmSync(root, {recursive: true, force: true})
    rmSync(out, {recursive: true, force: true})
  }
}
