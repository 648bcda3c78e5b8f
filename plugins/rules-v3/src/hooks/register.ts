import type {PluginContribution} from 'mlps'
import {editionV3, editionV3Corrected} from '../editions.js'

export default async function register(): Promise<PluginContribution> {
  return {apiVersion: 1, rulesEditions: [editionV3, editionV3Corrected]}
}
