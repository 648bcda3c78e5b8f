import {LIMITS} from '../command/limits.js'
import {MlpsError} from '../errors.js'
import type {HostSlot} from '../lifecycle/run-context.js'

/**
 * Expand host specs: comma or space separated lists, bracket ranges with
 * zero padding kept (`node[01-04,07]`), and slots after a colon (`host:8`).
 * Duplicate hosts are merged, adding their slots.
 */
export function parseHosts(specs: readonly string[], where = '--hosts'): HostSlot[] {
  const merged = new Map<string, HostSlot>()
  for (const token of specs.flatMap(splitOutsideBrackets)) {
    const match = /^([^:\s]+?)(?::(\d+))?$/.exec(token)
    if (!match) throw new MlpsError(`"${token}" is not a host spec`, {where, fix: 'write hosts as name or name:slots, e.g. node01:8,node02:8'})
    const slots = match[2] === undefined ? undefined : Number(match[2])
    if (slots !== undefined && slots > LIMITS.ranksPerHost) {
      throw new MlpsError(`"${token}" gives a host ${match[2]} slots; the limit is ${LIMITS.ranksPerHost}`, {where, fix: `give at most ${LIMITS.ranksPerHost} slots per host`})
    }
    if (slots === 0) throw new MlpsError(`"${token}" gives a host zero slots`, {where, fix: 'give at least one slot or leave the slots out'})
    for (const name of expandRange(match[1], where, LIMITS.hosts - merged.size)) {
      const existing = merged.get(name)
      const total = existing?.slots !== undefined && slots !== undefined ? existing.slots + slots : existing?.slots ?? slots
      merged.set(name, total === undefined ? {name} : {name, slots: total})
    }
  }
  if (merged.size === 0) throw new MlpsError('no hosts given', {where, fix: 'give at least one host, e.g. --hosts localhost'})
  return [...merged.values()]
}

function splitOutsideBrackets(spec: string): string[] {
  const tokens: string[] = []
  let depth = 0
  let current = ''
  for (const char of spec) {
    if (char === '[') depth++
    if (char === ']') depth--
    if (depth === 0 && (char === ',' || /\s/.test(char))) {
      if (current) tokens.push(current)
      current = ''
    } else {
      current += char
    }
  }
  if (current) tokens.push(current)
  return tokens
}

/**
 * The names a bracket range spells, in Slurm's hostlist order (with several brackets the last one
 * varies fastest: `r[1-2]-n[1-2]` is r1-n1, r1-n2, r2-n1, r2-n2); more than `room` of them is refused
 * before any is made.
 */
function expandRange(name: string, where: string, room: number): string[] {
  const match = /^(.*?)\[([^\]]+)\](.*)$/.exec(name)
  if (!match) return [name]
  const [, prefix, body, suffix] = match
  const names: string[] = []
  for (const part of body.split(',')) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part)
    if (!range) throw new MlpsError(`"${name}" has a bad range "${part}"`, {where, fix: 'write ranges as node[01-16] or node[1-4,7]'})
    const [from, to = from] = [range[1], range[2]]
    if (Number(to) < Number(from)) throw new MlpsError(`"${name}" has a descending range ${part}`, {where, fix: `write it as ${to}-${from}`})
    const width = from.length
    if (Number(to) - Number(from) + 1 > room - names.length) {
      throw new MlpsError(`"${name}" names more than ${LIMITS.hosts} hosts`, {where, fix: `give at most ${LIMITS.hosts} hosts in one run`})
    }
    for (let n = Number(from); n <= Number(to); n++) {
      names.push(...expandRange(`${prefix}${String(n).padStart(width, '0')}${suffix}`, where, room - names.length))
    }
  }
  return names
}
