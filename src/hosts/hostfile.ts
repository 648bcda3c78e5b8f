import {readFile} from 'node:fs/promises'
import {MlpsError} from '../errors.js'
import type {HostSlot} from '../lifecycle/run-context.js'
import {parseHosts} from './parse-hosts.js'

// OpenMPI: `node01 slots=8 max_slots=16`; MPICH/Hydra: `node01:8`; both: `#` comments, one host per line.
const OPENMPI_LINE = /^(\S+)((?:\s+[A-Za-z_-]+\s*=\s*\S+)*)$/

/**
 * Parse a host file in either MPI's style. A line is a host spec as `--hosts` takes it (ranges and
 * `:slots` allowed) or an OpenMPI line with `slots=N`; `max_slots` is accepted and ignored, because
 * placement only needs the slots a host offers. Repeated hosts add their slots, as both MPIs do.
 */
export function parseHostfile(text: string, file: string): HostSlot[] {
  const specs: string[] = []
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.replace(/#.*$/, '').trim()
    if (line === '') continue
    const where = `${file}:${index + 1}`
    const match = OPENMPI_LINE.exec(line)
    if (!match) throw new MlpsError(`"${line}" is not a host line`, {where, fix: 'write one host per line: "node01 slots=8" (OpenMPI) or "node01:8" (MPICH)'})
    const [, host, attributes] = match
    let slots: string | undefined
    for (const attribute of attributes.trim().split(/\s+(?=[A-Za-z_-]+\s*=)/).filter(Boolean)) {
      const [key, value] = attribute.split('=').map(part => part.trim())
      if (key === 'slots') {
        if (!/^\d+$/.test(value)) throw new MlpsError(`slots=${value} is not a whole number`, {where, fix: 'write slots=N with N ≥ 1'})
        slots = value
      } else if (key !== 'max_slots' && key !== 'max-slots') {
        throw new MlpsError(`unknown host attribute "${key}"`, {where, fix: 'only slots= (and max_slots=, which is ignored) are understood'})
      }
    }
    if (slots !== undefined && host.includes(':')) throw new MlpsError(`"${line}" gives slots twice`, {where, fix: 'use either host:N or host slots=N'})
    // each line is checked on its own so an error names its line
    parseHosts([slots === undefined ? host : `${host}:${slots}`], where)
    specs.push(slots === undefined ? host : `${host}:${slots}`)
  }
  if (specs.length === 0) throw new MlpsError('the host file lists no hosts', {where: file, fix: 'add one host per line, e.g. "node01 slots=8"'})
  return parseHosts(specs, file)
}

export async function readHostfile(file: string, flag = '--hostfile'): Promise<HostSlot[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new MlpsError(`cannot read host file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {where: flag, fix: 'give the path of a readable host file'})
  }
  return parseHostfile(text, file)
}
