#!/usr/bin/env -S node --import tsx --conditions=mlps-source
import {execute} from '@oclif/core'

await execute({development: true, dir: import.meta.url})
