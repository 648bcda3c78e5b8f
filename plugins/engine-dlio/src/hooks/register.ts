import type {PluginContribution} from 'mlps'
import {dlioEngine} from '../dlio-engine.js'
import {dlioChecks} from '../dlio-checks.js'
import {dlioDatasetCheck} from '../dlio-dataset-check.js'
import {dlioRunChecks} from '../dlio-preflight.js'

export default async function register(): Promise<PluginContribution> {
  return {apiVersion: 1, engines: [dlioEngine], checks: [...dlioChecks, ...dlioRunChecks, dlioDatasetCheck]}
}
