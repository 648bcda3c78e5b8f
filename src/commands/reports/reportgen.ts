import {UnavailableCommand} from '../../command/unavailable-command.js'

export default class Unavailable extends UnavailableCommand {
  static summary = 'Write results.json, results.csv and report.html from a results tree (not available yet)'
  static strict = false
  protected readonly capability = 'mlps reports reportgen'
}
