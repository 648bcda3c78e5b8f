import type {Config} from '@oclif/core'
import {MlpsError} from '../errors.js'
import {nearestName} from '../util/nearest-name.js'

/**
 * `doctor --command` and `--model` name what a benchmark command takes: a
 * command that exists under the benchmark, a model one of its commands
 * offers. Checked against the installed commands, so a typo is exit 2
 * rather than a check of nothing.
 */
export function checkDoctorTargets(config: Config, input: {benchmark?: string; command?: string; model?: string}): void {
  const ids = config.commands.map(command => command.id).filter(id => !input.benchmark || id.startsWith(`${input.benchmark}:`))
  if (input.benchmark && input.command && !ids.includes(`${input.benchmark}:${input.command}`)) {
    const commands = ids.map(id => id.slice(input.benchmark!.length + 1))
    const nearest = nearestName(input.command, commands)
    throw new MlpsError(`${input.benchmark} has no command "${input.command}"`, {where: '--command', fix: `${nearest ? `did you mean ${nearest}? ` : ''}use one of: ${commands.join(', ')}`})
  }
  if (!input.model) return
  const models = new Set(config.commands
    .filter(command => ids.includes(command.id) && (!input.command || command.id.endsWith(`:${input.command}`)))
    .flatMap(command => command.flags.model?.type === 'option' ? command.flags.model.options ?? [] : []))
  if (models.size > 0 && !models.has(input.model)) {
    const nearest = nearestName(input.model, models)
    throw new MlpsError(`no ${input.benchmark ?? 'installed'} command takes the model "${input.model}"`, {where: '--model', fix: `${nearest ? `did you mean ${nearest}? ` : ''}use one of: ${[...models].sort().join(', ')}`})
  }
}
