import assert from 'node:assert/strict'
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {checkDlioImports, resolveDlioBinary} from '@mlps/plugin-engine-dlio'
import {tempDir} from '../../../test/helpers/cli.js'

function script(path: string, shebang: string): string {
  writeFileSync(path, `${shebang}\nprint("hello")\n`)
  chmodSync(path, 0o755)
  return path
}

describe('finding and checking dlio_benchmark', () => {
  it('an explicit --dlio-bin or engines.dlio.bin (file or folder) wins over PATH (the reference let PATH win, §12.1 item 25)', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'venv', 'bin'), {recursive: true})
    mkdirSync(join(dir, 'path'))
    const mine = script(join(dir, 'venv', 'bin', 'dlio_benchmark'), '#!/usr/bin/env python3')
    const onPath = script(join(dir, 'path', 'dlio_benchmark'), '#!/usr/bin/env python3')
    const env = {PATH: join(dir, 'path')}
    assert.deepEqual(await resolveDlioBinary(undefined, join(dir, 'venv', 'bin'), env), {path: mine, tried: [`engines.dlio.bin=${join(dir, 'venv', 'bin')}`], source: 'config'})
    assert.equal((await resolveDlioBinary(mine, '/elsewhere', env)).source, 'flag')
    assert.deepEqual(await resolveDlioBinary(undefined, undefined, env), {path: onPath, tried: ['PATH'], source: 'PATH'})
    assert.deepEqual(await resolveDlioBinary(undefined, join(dir, 'missing'), env), {path: undefined, tried: [`engines.dlio.bin=${join(dir, 'missing')}`], source: 'config'})
  })

  it('runs the import check with the Python on the #! line: this machine\'s python3 has no DLIO, so it fails naming the module', async function () {
    this.timeout(60_000)
    const bin = script(join(tempDir(), 'dlio_benchmark'), '#!/usr/bin/env python3')
    const check = await checkDlioImports(bin)
    assert.equal(check.ok, false)
    assert.match((check as {problem: string}).problem, /^\/usr\/bin\/env python3 cannot import DLIO's modules: ModuleNotFoundError: No module named '(dlio_benchmark|mpi4py|hydra|omegaconf)'/)
  })

  it('says "not evaluable" for a dlio_benchmark that is not a Python script', async () => {
    const bin = script(join(tempDir(), 'dlio_benchmark'), '#!/bin/sh')
    const check = await checkDlioImports(bin)
    assert.equal(check.ok, 'not evaluable')
  })
})
