import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {runCli, tempDir} from '../helpers/cli.js'
import {entriesUnder} from '../helpers/files-under.js'

/** A tmpfs of its own, so a full or read-only disk is real and touches nothing else. Needs root (CI runs as root). */
function mountTmpfs(options: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined
  const dir = tempDir('mlps-tmpfs-')
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir])
  return dir
}

describe('a full or read-only results filesystem (built CLI, real tmpfs)', function () {
  this.timeout(120_000)
  const mounted: string[] = []

  after(() => {
    for (const dir of mounted) {
      execFileSync('umount', [dir])
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('ENOSPC: exit 3 naming the file, a fix, and no leaf without its record', async function () {
    // 8 KiB holds the record written at the start but not its final version beside it
    const tiny = mountTmpfs('size=8k')
    if (!tiny) this.skip() // not root: no tmpfs can be mounted, so this check cannot run here
    mounted.push(tiny!)
    const results = join(tiny!, 'results')
    const result = await runCli(['training', 'datasize', '-m', 'unet3d', '-g', 'h100', '--max-accelerators', '1', '--client-host-memory-in-gb', '1', '--results-dir', results, '--json'])
    assert.equal(result.exitCode, 3, result.stdout + result.stderr)
    const {error} = JSON.parse(result.stdout) as {error: {message: string; where: string; fix: string; exitCode: number}}
    assert.match(error.message, /no space left on the device \(ENOSPC/)
    assert.ok(error.where.startsWith(results) && error.where.endsWith('metadata.json'), error.where)
    assert.match(error.fix, /free space/)
    // the results dir was made (the record at the start fitted), so an empty walk is what it holds, not a dir never made
    assert.ok(existsSync(results), results)
    assert.deepEqual(entriesUnder(results), [], 'no leaf is left without its final record')
  })

  it('EROFS: exit 3 naming the path, with a fix', async function () {
    const readOnly = mountTmpfs('size=1m')
    if (!readOnly) this.skip() // not root: no tmpfs can be mounted, so this check cannot run here
    mounted.push(readOnly!)
    mkdirSync(join(readOnly!, 'results'))
    execFileSync('mount', ['-o', 'remount,ro', readOnly!])
    const result = await runCli(['training', 'datasize', '-m', 'unet3d', '-g', 'h100', '--max-accelerators', '1', '--client-host-memory-in-gb', '1', '--results-dir', join(readOnly!, 'results'), '--json'])
    assert.equal(result.exitCode, 3, result.stdout + result.stderr)
    const {error} = JSON.parse(result.stdout) as {error: {message: string; where: string; fix: string}}
    assert.match(error.message, /read-only \(EROFS/)
    assert.ok(error.where.startsWith(join(readOnly!, 'results')), error.where)
    assert.match(error.fix, /writable/)
  })
})
