import type {PluginContribution} from 'mlps'
import {nativeEngine} from '../native-engine.js'
import {nativeChecks} from '../native-checks.js'

export default async function register(): Promise<PluginContribution> {
  return {apiVersion: 1, engines: [nativeEngine], checks: nativeChecks}
}
