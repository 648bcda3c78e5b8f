import {execFileSync} from 'node:child_process'
import fs from 'node:fs'

/**
 * DLIO v3's page-cache drop before each epoch (engines.md §1.6 item 5):
 * `sync`, then `3` into /proc/sys/vm/drop_caches. Needs root; returns why it
 * could not, rather than pretending.
 */
export function dropPageCache(): {dropped: true} | {dropped: false; reason: string} {
  const uid = process.getuid?.()
  if (uid !== 0) return {dropped: false, reason: `not running as root (uid ${uid ?? 'unknown'}): the page cache was not dropped`}
  try {
    execFileSync('sync')
    fs.writeFileSync('/proc/sys/vm/drop_caches', '3')
    return {dropped: true}
  } catch (error) {
    return {dropped: false, reason: `could not drop the page cache: ${(error as Error).message}`}
  }
}
