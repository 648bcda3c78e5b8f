import fs from 'node:fs/promises'

export class InsufficientSpaceError extends Error {
  override readonly name = 'InsufficientSpaceError'
  constructor(readonly folder: string, readonly neededBytes: number, readonly availableBytes: number) {
    super(
      `not enough free space in ${folder}: the dataset still needs ${neededBytes} bytes (${formatGiB(neededBytes)}) ` +
        `but only ${availableBytes} bytes (${formatGiB(availableBytes)}) are available. ` +
        'Free space, point the data folder at a larger file system, or reduce num_files_train.',
    )
  }
}

function formatGiB(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(2)} GiB`
}

/** Bytes an unprivileged writer may still use on the file system holding `folder`. */
export async function availableBytes(folder: string): Promise<number> {
  const stats = await fs.statfs(folder)
  return Number(stats.bavail) * Number(stats.bsize)
}

export async function assertFreeSpace(folder: string, neededBytes: number): Promise<void> {
  const available = await availableBytes(folder)
  if (neededBytes > available) throw new InsufficientSpaceError(folder, neededBytes, available)
}
