#!/usr/bin/env node
import {execute, settings} from '@oclif/core'

// plugins run from their compiled output (linked ones included): no TypeScript lookup, so no
// "linked ESM module cannot be auto-transpiled" warning on every command of a plugin author
settings.enableAutoTranspile = false

await execute({dir: import.meta.url})
