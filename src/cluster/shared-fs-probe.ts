import {randomBytes} from 'node:crypto'
import {rm} from 'node:fs/promises'
import {join} from 'node:path'
import {writeFileAtomic} from '../results/atomic-write.js'

export interface SharedFsProbe {
  path: string
  token: string
  remove(): Promise<void>
}

/**
 * Write a file with a random token into `dir`: a snapshot taken with this
 * probe reports which hosts read the same token, i.e. share the directory.
 */
export async function writeSharedFsProbe(dir: string): Promise<SharedFsProbe> {
  const token = randomBytes(16).toString('hex')
  const path = join(dir, `.mlps-shared-probe-${token.slice(0, 8)}`)
  await writeFileAtomic(path, `${token}\n`)
  return {path, token, remove: () => rm(path, {force: true})}
}
