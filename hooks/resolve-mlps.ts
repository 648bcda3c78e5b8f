/** Node module-resolution hook, registered by init.ts; see there for why. */
let coreEntry = ''

export async function initialize(data: {coreEntry: string}): Promise<void> {
  coreEntry = data.coreEntry
}

type NextResolve = (specifier: string, context: unknown) => Promise<{url: string}>

export async function resolve(specifier: string, context: unknown, nextResolve: NextResolve): Promise<{url: string; shortCircuit?: boolean}> {
  if (specifier === 'mlps') return {url: coreEntry, shortCircuit: true}
  return nextResolve(specifier, context)
}
