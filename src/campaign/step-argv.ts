import type {FlagArgument} from './campaign-plan.js'

/** What the core needs of a command's flag declarations to pass flags on. */
export interface DeclaredFlags {
  flags?: Record<string, {type: string; allowNo?: boolean}>
  baseFlags?: Record<string, {type: string; allowNo?: boolean}>
}

/**
 * The argv of one step: each of the campaign's parsed flags that the step's command also declares,
 * then the step's own (which win), as `--name=value` so a value starting with '-' stays a value.
 * `--json` is passed on when the campaign prints JSON, so the step's people messages go to stderr.
 */
export function stepArgv(command: DeclaredFlags, campaignFlags: Record<string, unknown>, stepFlags: Record<string, FlagArgument>, json: boolean): string[] {
  const declared = {...command.baseFlags, ...command.flags}
  const merged: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(campaignFlags)) if (name in declared) merged[name] = value
  for (const [name, value] of Object.entries(stepFlags)) {
    if (!(name in declared)) throw new Error(`a campaign step passes --${name}, which its command does not declare`)
    merged[name] = value
  }
  const argv: string[] = []
  for (const [name, value] of Object.entries(merged)) {
    if (name === 'json' || value === undefined) continue
    if (value === false) {
      // a boolean that can be turned off was turned off (--no-compact); any other false is the flag left out
      if (declared[name].allowNo) argv.push(`--no-${name}`)
      continue
    }
    if (value === true) argv.push(`--${name}`)
    else if (Array.isArray(value)) for (const item of value) argv.push(`--${name}=${String(item)}`)
    else argv.push(`--${name}=${String(value)}`)
  }
  if (json) argv.push('--json')
  return argv
}
