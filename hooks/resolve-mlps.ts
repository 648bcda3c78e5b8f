/** Node module-resolution hook, registered by init.ts; see there for why. */
let entries: Record<string, string> = {}

/** specifier (`mlps`, `mlps/unstable`) → the running CLI's module for it */
export async function initialize(data: {entries: Record<string, string>}): Promise<void> {
  entries = data.entries
}

type NextResolve = (specifier: string, context: unknown) => Promise<{url: string}>

export async function resolve(specifier: string, context: unknown, nextResolve: NextResolve): Promise<{url: string; shortCircuit?: boolean}> {
  const entry = entries[specifier]
  if (entry) return {url: entry, shortCircuit: true}
  return nextResolve(specifier, context)
}
