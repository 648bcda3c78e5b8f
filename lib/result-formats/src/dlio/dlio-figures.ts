import type {LoadedRun} from 'mlps'
import type {ImpossibleFigure, MissingInputs, ThroughputBound} from '../bounds/throughput-possible.js'
import {dlioSummariesOf} from './read-dlio-run.js'

/** measured figures may exceed a bound computed from the configuration by timer jitter, never by more */
const TOLERANCE = 0.02
const MIB = 2 ** 20
const THROUGHPUT = 'train_throughput_mean_samples_per_second'
const PER_EPOCH_THROUGHPUT = 'train_throughput_samples_per_second'
const IO = 'train_io_mean_MB_per_second'

const numberAt = (object: unknown, path: string): number | undefined => {
  const value = path.split('.').reduce<unknown>((current, key) => current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined, object)
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  return typeof number === 'number' && Number.isFinite(number) && number > 0 ? number : undefined
}

/** What a training run's throughput figures depend on; undefined names what is missing. */
interface TrainingThroughputInputs {
  ranks: number
  batch: number
  computeSeconds: number
  recordBytes: number
}

export function trainingThroughputInputs(run: LoadedRun): TrainingThroughputInputs | MissingInputs {
  const ranks = run.numProcesses
  const batch = numberAt(run.parameters, 'reader.batch_size')
  const computeSeconds = numberAt(run.parameters, 'train.computation_time')
  const recordBytes = numberAt(run.parameters, 'dataset.record_length_bytes') ?? numberAt(run.parameters, 'dataset.record_length')
  if (ranks === undefined || batch === undefined || computeSeconds === undefined || recordBytes === undefined) {
    return {missing: [ranks === undefined && 'the accelerator count', batch === undefined && 'reader.batch_size', computeSeconds === undefined && 'train.computation_time',
      recordBytes === undefined && 'the record length'].filter((name): name is string => typeof name === 'string')}
  }
  return {ranks, batch, computeSeconds, recordBytes}
}

/**
 * Throughputs no DLIO run can report. Each step of a rank emulates
 * `computation_time` seconds of compute on `batch_size` samples, so at 100 %
 * AU the run reads ranks × batch / computation_time samples/s and never more;
 * DLIO's MB/s is that throughput × the record length (engines.md §2.2).
 */
export function impossibleTrainingFigures(run: LoadedRun, inputs: TrainingThroughputInputs): ImpossibleFigure[] {
  const ceiling = inputs.ranks * inputs.batch / inputs.computeSeconds
  // the record's copy and every summary: one edited behind the other is as impossible
  const sources = [
    {file: run.sources.record ?? run.sources.summary ?? run.path, prefix: run.sources.record ? 'metrics.' : 'metric.', metrics: run.metrics as Record<string, unknown>},
    ...run.sources.record ? dlioSummariesOf(run).map(({file, summary}) => ({file, prefix: 'metric.', metrics: summary.metric as Record<string, unknown>})) : [],
  ]
  const figures: ImpossibleFigure[] = []
  for (const {file, prefix, metrics} of sources) {
    const samples = metrics[THROUGHPUT]
    const perEpoch = metrics[PER_EPOCH_THROUGHPUT]
    const rates = [
      ...typeof samples === 'number' ? [{path: THROUGHPUT, value: samples}] : [],
      ...Array.isArray(perEpoch) ? perEpoch.flatMap((value, index) => typeof value === 'number' ? [{path: `${PER_EPOCH_THROUGHPUT}[${index}]`, value}] : []) : [],
    ]
    for (const {path, value} of rates.filter(rate => rate.value > ceiling * (1 + TOLERANCE))) {
      figures.push({message: `${file}: ${path} = ${value} samples/s is more than the ${ceiling.toPrecision(6)} samples/s its ${inputs.ranks} accelerator(s) × batch ${inputs.batch} / ${inputs.computeSeconds} s of compute allow at 100 % AU`,
        evidence: [{file, path: `${prefix}${path}`, value}]})
    }
    const io = metrics[IO]
    if (typeof samples === 'number' && typeof io === 'number') {
      const expected = samples * inputs.recordBytes / MIB
      if (Math.abs(io - expected) > expected * TOLERANCE) {
        figures.push({message: `${file}: ${IO} = ${io} is not ${THROUGHPUT} × the record length (${samples} × ${inputs.recordBytes} B = ${expected.toPrecision(6)} MiB/s)`,
          evidence: [{file, path: `${prefix}${IO}`, value: io}, {file, path: `${prefix}${THROUGHPUT}`, value: samples}]})
      }
    }
  }
  return figures
}

/** A training run's samples/s and MiB/s against 100 % AU and the record length. */
export const trainingThroughputBound: ThroughputBound<TrainingThroughputInputs> = {inputs: trainingThroughputInputs, impossible: impossibleTrainingFigures}

const RANKED = /^(\d+)_(per_epoch_stats|output)\.json$/
const STATS = /^(?:\d+_)?per_epoch_stats\.json$/

/**
 * DLIO's result files a run leaf lacks (engines.md §2.1): every folder
 * holding one of them (the leaf; a v1.0 run's host folders) holds the
 * summary and the per-epoch stats; a leaf mlps wrote holds each ranked kind
 * (per-epoch stats, outputs) of every rank once any rank's are there.
 */
export function missingDlioResultFiles(run: LoadedRun): string[] {
  const byFolder = new Map<string, string[]>()
  for (const file of run.files) {
    const at = file.lastIndexOf('/')
    const [folder, name] = at < 0 ? ['', file] : [file.slice(0, at), file.slice(at + 1)]
    if (folder.includes('/') || !(name === 'summary.json' || STATS.test(name) || RANKED.test(name))) continue
    byFolder.set(folder, [...byFolder.get(folder) ?? [], name])
  }
  if (byFolder.size === 0) byFolder.set('', [])
  const missing: string[] = []
  for (const [folder, names] of byFolder) {
    const where = (name: string) => folder ? `${folder}/${name}` : name
    if (!names.includes('summary.json')) missing.push(where('summary.json'))
    // the DLIO of v1.0 (hydra copies in configs/) wrote one unranked file; later ones write rank 0's and up
    const unranked = run.files.some(file => file.startsWith(folder ? `${folder}/configs/` : 'configs/'))
    if (!names.some(name => STATS.test(name))) missing.push(where(unranked ? 'per_epoch_stats.json' : '0_per_epoch_stats.json'))
    if (run.layout !== 'mlps' || run.numProcesses === undefined) continue
    // each kind on its own: a checkpoint-only run of the native engine writes no rank outputs
    for (const kind of ['per_epoch_stats', 'output'].filter(kind => names.some(name => RANKED.exec(name)?.[2] === kind))) {
      for (let rank = 0; rank < run.numProcesses; rank++) {
        if (!names.includes(`${rank}_${kind}.json`)) missing.push(where(`${rank}_${kind}.json`))
      }
    }
  }
  return missing
}
