import {UnavailableCommand} from '../command/unavailable-command.js'

export default class Unavailable extends UnavailableCommand {
  static summary = 'Check the environment before a run, with install hints (not available yet)'
  static strict = false
  protected readonly capability = 'mlps doctor'
}
