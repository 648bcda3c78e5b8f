import {UnavailableCommand} from 'mlps'

export default class Unavailable extends UnavailableCommand {
  static summary = 'KV-cache offload benchmark (not available yet)'
  static strict = false
  protected readonly capability = 'the KV-cache offload benchmark'
}
