import checkpointing from '../../plugins/checkpointing/src/hooks/register.js'
import kvcache from '../../plugins/kvcache/src/hooks/register.js'
import training from '../../plugins/training/src/hooks/register.js'
import vectordb from '../../plugins/vectordb/src/hooks/register.js'
import {Registry} from '../../src/registry/registry.js'
import type {ResultsCatalogue} from '../../src/verify/results-catalogue.js'

let registry: Promise<Registry> | undefined

/** The first-party benchmarks' results declarations, as the built CLI's registry holds them. */
export async function firstPartyCatalogue(): Promise<ResultsCatalogue> {
  registry ??= (async () => {
    const built = new Registry()
    const plugins = {'@mlps/plugin-checkpointing': checkpointing, '@mlps/plugin-kvcache': kvcache, '@mlps/plugin-training': training, '@mlps/plugin-vectordb': vectordb}
    for (const [name, register] of Object.entries(plugins)) {
      const contribution = await register()
      built.add(name, {apiVersion: contribution.apiVersion, benchmarks: contribution.benchmarks})
    }
    return built
  })()
  return (await registry).results()
}
