import type {PluginContribution} from 'mlps'

export default async function register(): Promise<PluginContribution> {
  return {apiVersion: 1}
}
