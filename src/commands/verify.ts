import {UnavailableCommand} from '../command/unavailable-command.js'

export default class Unavailable extends UnavailableCommand {
  static summary = 'Verify runs and submission trees against the rules (not available yet)'
  static strict = false
  protected readonly capability = 'mlps verify'
}
