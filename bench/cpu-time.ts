import {readFileSync} from 'node:fs'

const CLOCK_TICKS_PER_SECOND = 100

/** The CPU seconds (user + system) this process's finished and waited-for children used, from /proc (Node reports only its own). */
export function childrenCpuSeconds(): number {
  // fields 16 and 17 of /proc/self/stat (cutime, cstime), counted after the parenthesised command name
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND
}

/** The CPU seconds this process used so far, every thread (worker threads included, ended ones too). */
export function ownCpuSeconds(): number {
  const {user, system} = process.cpuUsage()
  return (user + system) / 1e6
}
