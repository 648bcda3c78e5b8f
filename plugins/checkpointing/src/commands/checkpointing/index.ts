import {UnavailableCommand} from 'mlps'

export default class Unavailable extends UnavailableCommand {
  static summary = 'Checkpointing benchmark (llama3 8b/70b/405b/1t) (not available yet)'
  static strict = false
  protected readonly capability = 'the Checkpointing benchmark (llama3 8b/70b/405b/1t)'
}
