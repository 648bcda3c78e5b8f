import {appendFile, mkdir, readFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {z} from 'zod'
import {MlpsError} from '../errors.js'

export const HistoryEntrySchema = z.object({
  time: z.string(),
  /** the command id, e.g. "<benchmark> run" */
  command: z.string(),
  /** argv after the bin name, secrets redacted */
  argv: z.array(z.string()),
  cwd: z.string(),
  exitCode: z.number().int(),
  durationSeconds: z.number().nonnegative(),
  leaf: z.string().optional(),
  mlpsVersion: z.string(),
})
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>

export interface NumberedEntry extends HistoryEntry {
  /** 1-based position in the history file, the number `history show|rerun` take */
  number: number
}

export function historyFile(dataDir: string): string {
  return join(dataDir, 'history.jsonl')
}

/** One JSON line per invocation; a single append is atomic for lines this short. */
export async function appendHistory(file: string, entry: HistoryEntry): Promise<void> {
  await mkdir(dirname(file), {recursive: true})
  await appendFile(file, JSON.stringify(HistoryEntrySchema.parse(entry)) + '\n')
}

/** Every readable entry; a corrupt line is skipped but keeps its number. */
export async function readHistory(file: string): Promise<NumberedEntry[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  const entries: NumberedEntry[] = []
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return
    try {
      const parsed = HistoryEntrySchema.safeParse(JSON.parse(line))
      if (parsed.success) entries.push({...parsed.data, number: index + 1})
    } catch {
      // a line torn by a crash mid-append; the others stay usable
    }
  })
  return entries
}

export async function historyEntry(file: string, number: number): Promise<NumberedEntry> {
  const entries = await readHistory(file)
  const found = entries.find(entry => entry.number === number)
  if (!found) {
    const range = entries.length > 0 ? `1..${entries.at(-1)!.number}` : 'none yet'
    throw new MlpsError(`history has no entry ${number} (entries: ${range})`, {where: file, fix: 'run `mlps history list` to see the numbers'})
  }
  return found
}
