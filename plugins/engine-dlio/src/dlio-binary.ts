import {constants} from 'node:fs'
import {access, open, stat} from 'node:fs/promises'
import {join, resolve} from 'node:path'
import {execa} from 'execa'
import {findExecutable} from 'mlps/unstable'

export const DLIO_BIN_NAME = 'dlio_benchmark'

export interface DlioBinary {
  /** the resolved executable, undefined when none was found */
  path?: string
  /** where it was looked for, in order, for the error message */
  tried: string[]
  source?: 'flag' | 'config' | 'PATH'
}

async function executable(path: string): Promise<string | undefined> {
  try {
    const full = (await stat(path)).isDirectory() ? join(path, DLIO_BIN_NAME) : path
    await access(full, constants.X_OK)
    return resolve(full)
  } catch {
    return undefined
  }
}

/** The dlio_benchmark to run: --dlio-bin (ctx.options.dlioBin), then engines.dlio.bin, then PATH; an explicit choice is never replaced. */
export async function resolveDlioBinary(flag: string | undefined, configured: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<DlioBinary> {
  const explicit = flag ?? configured
  if (explicit) {
    return {path: await executable(explicit), tried: [`${flag ? '--dlio-bin' : 'engines.dlio.bin'}=${explicit}`], source: flag ? 'flag' : 'config'}
  }
  const path = await findExecutable(DLIO_BIN_NAME, env)
  return {path, tried: ['PATH'], source: path ? 'PATH' : undefined}
}

/** The interpreter on a script's `#!` line when it is a Python, else undefined (a wrapper, a binary). */
export async function pythonOfScript(file: string): Promise<string[] | undefined> {
  const handle = await open(file, 'r')
  try {
    const {bytesRead, buffer} = await handle.read(Buffer.alloc(256), 0, 256, 0)
    const first = buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0]
    if (!first.startsWith('#!') || !/python/.test(first)) return undefined
    return first.slice(2).trim().split(/\s+/)
  } finally {
    await handle.close()
  }
}

export type ImportCheck = {ok: true; version?: string} | {ok: false; problem: string} | {ok: 'not evaluable'; why: string}

const IMPORT_CHECK = [
  'import importlib.metadata as m',
  'import dlio_benchmark, mpi4py, hydra, omegaconf',
  'from mpi4py import MPI',
  'print(m.version("dlio_benchmark"))',
].join('\n')

/** engines.md §5.1 check 1: the Python behind dlio_benchmark imports DLIO, mpi4py (with its MPI) and hydra. */
export async function checkDlioImports(bin: string, python?: string): Promise<ImportCheck> {
  const interpreter = python ? [python] : await pythonOfScript(bin)
  if (!interpreter) return {ok: 'not evaluable', why: `${bin} is not a Python script, so the Python to check is unknown (set engines.dlio.python)`}
  const [file, ...args] = interpreter
  const result = await execa(file, [...args, '-c', IMPORT_CHECK], {reject: false, timeout: 120_000, stdin: 'ignore', all: true})
  if (result.exitCode === 0) return {ok: true, version: String(result.stdout).trim().split('\n').pop() || undefined}
  const lastLine = String(result.all ?? '').trim().split('\n').pop() ?? ''
  return {ok: false, problem: `${interpreter.join(' ')} cannot import DLIO's modules: ${lastLine || (result as {code?: string}).code || `exit ${result.exitCode}`}`}
}
