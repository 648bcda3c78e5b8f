import {readFile} from 'node:fs/promises'
import {ExitCode, MlpsError, z} from 'mlps'
import {parseTolerantJson} from 'mlps/unstable'

const num = z.number().nullable()
const numList = z.array(num)

/**
 * DLIO's summary.json (engines.md §2.2), as the dlio and native engines
 * write it. Only the keys mlps reads are typed; the rest pass through.
 */
export const DlioSummarySchema = z.looseObject({
  start: z.string().optional(),
  end: z.string().optional(),
  num_accelerators: z.number().int().optional(),
  num_hosts: z.number().int().optional(),
  hostname: z.string().optional(),
  metric: z.looseObject({
    train_au_percentage: numList.optional(),
    train_au_mean_percentage: num.optional(),
    train_au_meet_expectation: z.string().optional(),
    train_au_stdev_percentage: num.optional(),
    train_throughput_samples_per_second: numList.optional(),
    train_throughput_mean_samples_per_second: num.optional(),
    train_throughput_stdev_samples_per_second: num.optional(),
    train_io_mean_MB_per_second: num.optional(),
    train_io_stdev_MB_per_second: num.optional(),
    save_checkpoint_io_mean_GB_per_second: num.optional(),
    save_checkpoint_io_stdev_GB_per_second: num.optional(),
    save_checkpoint_duration_mean_seconds: num.optional(),
    save_checkpoint_duration_stdev_seconds: num.optional(),
    load_checkpoint_io_mean_GB_per_second: num.optional(),
    load_checkpoint_io_stdev_GB_per_second: num.optional(),
    load_checkpoint_duration_mean_seconds: num.optional(),
    load_checkpoint_duration_stdev_seconds: num.optional(),
    checkpoint_size_GB: num.optional(),
  }),
  num_files_train: z.number().int().optional(),
  num_files_eval: z.number().int().optional(),
  num_samples_per_file: z.number().int().optional(),
  host_memory_GB: numList.optional(),
  potential_caching: z.array(z.number()).optional(),
  data_size_per_host_GB: num.optional(),
  epochs: z.number().int().optional(),
})
export type DlioSummary = z.output<typeof DlioSummarySchema>

export function parseDlioSummary(text: string, file = 'summary.json'): DlioSummary {
  let raw: unknown
  try {
    raw = parseTolerantJson(text)
  } catch (error) {
    throw new MlpsError(`not valid JSON: ${(error as Error).message}`, {where: file, exitCode: ExitCode.RunFailed, fix: 'the engine was probably stopped while writing it; re-run'})
  }
  const parsed = DlioSummarySchema.safeParse(raw)
  if (!parsed.success) {
    const problems = parsed.error.issues.map(issue => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')
    throw new MlpsError(`not a DLIO summary: ${problems}`, {where: file, exitCode: ExitCode.RunFailed})
  }
  return parsed.data
}

export async function readDlioSummary(file: string): Promise<DlioSummary> {
  return parseDlioSummary(await readFile(file, 'utf8'), file)
}

/** The summary's metric block as flat run-record metrics (arrays kept as arrays). */
export function summaryMetrics(summary: DlioSummary): Record<string, number | string | null | Array<number | null>> {
  const metrics: Record<string, number | string | null | Array<number | null>> = {}
  for (const [key, value] of Object.entries(summary.metric)) {
    if (typeof value === 'number' || typeof value === 'string' || value === null) metrics[key] = value
    else if (Array.isArray(value) && value.every(v => typeof v === 'number' || v === null)) metrics[key] = value as Array<number | null>
  }
  return metrics
}
