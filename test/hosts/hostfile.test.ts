import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {MlpsError} from '../../src/errors.js'
import {parseHostfile, readHostfile} from '../../src/hosts/hostfile.js'
import {tempDir} from '../helpers/cli.js'

describe('host files', () => {
  it('reads OpenMPI style: slots=, max_slots ignored, comments and blank lines skipped', () => {
    const text = '# client hosts\nnode01 slots=8 max_slots=16\n\nnode02 slots = 4   # fewer GPUs\nnode03\n'
    assert.deepEqual(parseHostfile(text, 'hosts.txt'), [{name: 'node01', slots: 8}, {name: 'node02', slots: 4}, {name: 'node03'}])
  })

  it('reads MPICH style host:n, with ranges, merging repeated hosts by adding slots', () => {
    assert.deepEqual(parseHostfile('node[01-02]:4\r\nnode01:2\nnode03\n', 'machinefile'), [{name: 'node01', slots: 6}, {name: 'node02', slots: 4}, {name: 'node03'}])
  })

  it('names the file and line of a bad entry, with the fix', () => {
    const cases: Array<[string, RegExp]> = [
      ['node01 slots=eight\n', /slots=eight is not a whole number/],
      ['node01\nnode02 cpus=4\n', /unknown host attribute "cpus"/],
      ['node01:2 slots=2\n', /gives slots twice/],
      ['node01:0\n', /zero slots/],
    ]
    for (const [text, message] of cases) {
      assert.throws(() => parseHostfile(text, 'hosts.txt'), (error: unknown) => {
        assert.ok(error instanceof MlpsError)
        assert.match(error.message, message)
        assert.match(error.where ?? '', /^hosts\.txt:\d+$/)
        assert.ok(error.fix)
        return true
      })
    }
    assert.throws(() => parseHostfile('node[3-1]\n', 'hosts.txt'), (error: unknown) => error instanceof MlpsError && error.where === 'hosts.txt:1')
  })

  it('refuses an empty file and an unreadable path', async () => {
    assert.throws(() => parseHostfile('# nothing\n\n', 'empty.txt'), /lists no hosts/)
    const dir = tempDir()
    await assert.rejects(readHostfile(join(dir, 'absent.txt')), (error: unknown) => error instanceof MlpsError && error.where === '--hostfile' && /ENOENT/.test(error.message))
    writeFileSync(join(dir, 'hosts'), 'a slots=2\nb slots=2\n')
    assert.deepEqual(await readHostfile(join(dir, 'hosts')), [{name: 'a', slots: 2}, {name: 'b', slots: 2}])
  })
})
