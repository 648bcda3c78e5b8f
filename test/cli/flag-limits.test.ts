import assert from 'node:assert/strict'
import {Config} from '@oclif/core'
import {repoRoot} from '../helpers/cli.js'

describe('every count flag has a limit (built CLI\'s commands)', () => {
  it('each numeric flag with a minimum also has a maximum, so oclif refuses a huge count at parse time', async () => {
    const config = await Config.load(repoRoot)
    const unbounded: string[] = []
    let counted = 0
    for (const command of config.commands) {
      const loaded = await command.load()
      for (const [name, flag] of Object.entries(loaded.flags ?? {})) {
        const {min, max} = flag as {min?: unknown; max?: unknown}
        if (typeof min !== 'number') continue
        counted++
        if (typeof max !== 'number') unbounded.push(`${command.id} --${name}`)
      }
    }
    assert.ok(counted >= 40, `only ${counted} numeric flags found: the walk missed the plugins' commands`)
    assert.deepEqual(unbounded, [])
  })
})
