import {UnavailableCommand} from 'mlps'

export default class Unavailable extends UnavailableCommand {
  static summary = 'Vector-database benchmark (Milvus) (not available yet)'
  static strict = false
  protected readonly capability = 'the Vector-database benchmark (Milvus)'
}
