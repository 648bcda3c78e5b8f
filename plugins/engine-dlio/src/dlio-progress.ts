import {type DlioLogEvent, dlioLogEvent} from '@mlps/result-formats'
import type {DlioWorkload} from '@mlps/run-options'
import type {Progress, ProgressFigure, ProgressUpdate} from 'mlps'

/** Follows DLIO's lines; `finish` is told how DLIO ended. */
export type DlioProgressFollower = ((line: string) => DlioLogEvent | undefined) & {finish(completed: boolean): void}

/**
 * Turn DLIO's log lines (it prints them to the console as well as to dlio.log) into progress: steps of
 * the current epoch for training, checkpoints done for checkpointing, files written for datagen. Lines DLIO does not print at its
 * default level simply leave the bar where it is.
 *
 * Datagen's bar lines come from rank 0 only, for the files rank 0 writes, so the last one is short of the
 * total (`111 of 112`, or `107 of 112` with more ranks): a datagen DLIO ends with exit 0 is complete, and
 * `finish(true)` moves the bar to its total. DLIO prints those lines only at DLIO_LOG_LEVEL=info
 * (engines.dlio.env); mlps does not change DLIO's level, so at the default one the bar moves once, at the end.
 */
export function dlioProgress(progress: Progress, workload: DlioWorkload | undefined): DlioProgressFollower {
  const epochs = workload?.train?.epochs ?? 1
  const checkpointsTotal = (workload?.checkpoint?.num_checkpoints_write ?? 0) + (workload?.checkpoint?.num_checkpoints_read ?? 0)
  const workflow = workload?.workflow
  const generatesOnly = Boolean(workflow?.generate_data && !workflow.train && !workflow.checkpoint)
  const dataset = workload?.dataset
  let stepsPerEpoch = 0
  let epoch = 0
  let checkpointsDone = 0
  let filesGenerated = 0
  const fields: Record<string, string> = {}
  // DLIO prints AU and samples/s once per epoch; the view shows their mean over the epochs so far, as the summary will
  const epochAu: number[] = []
  const epochSamples: number[] = []
  const checkpointRates: Record<'save' | 'load', number[]> = {save: [], load: []}
  const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length
  const figures = (): ProgressFigure[] => {
    const out: ProgressFigure[] = []
    if (epochSamples.length > 0) {
      const samples = mean(epochSamples)
      out.push({value: samples, unit: 'samples/s'})
      if (dataset?.record_length_bytes) out.push({value: (samples * dataset.record_length_bytes) / 2 ** 20, unit: 'MiB/s'})
    }
    for (const [operation, name] of [['save', 'write'], ['load', 'read']] as const) {
      if (checkpointRates[operation].length > 0) out.push({name, value: mean(checkpointRates[operation]), unit: 'GiB/s'})
    }
    return out
  }
  let last: ProgressUpdate | undefined
  const update = (next: ProgressUpdate) => {
    last = {...next, figures: figures()}
    progress.update(last)
  }
  const follow = (line: string): DlioLogEvent | undefined => {
    const event = dlioLogEvent(line)
    if (!event) return undefined
    switch (event.kind) {
      case 'epochStart':
        epoch = event.epoch
        stepsPerEpoch = event.steps
        fields.epoch = `${epoch}/${epochs}`
        update({done: (epoch - 1) * stepsPerEpoch, total: epochs * stepsPerEpoch, unit: 'items', fields})
        break
      case 'blockEnd':
      case 'epochEnd':
        if (stepsPerEpoch > 0) update({done: (epoch - 1) * stepsPerEpoch + event.steps, total: epochs * stepsPerEpoch, unit: 'items', fields})
        break
      case 'au':
        epochAu.push(event.percent)
        fields.AU = `${mean(epochAu).toFixed(1)}%`
        break
      case 'throughput':
        epochSamples.push(event.samplesPerSecond)
        break
      case 'checkpoint':
        checkpointsDone++
        checkpointRates[event.operation === 'save' ? 'save' : 'load'].push(event.gbPerSecond)
        update({done: checkpointsDone, total: checkpointsTotal || undefined, unit: 'items', fields})
        break
      case 'generation':
        // ranks report the global index of the file each just wrote, interleaved: the largest is how far datagen got
        filesGenerated = Math.max(filesGenerated, event.file)
        update({done: filesGenerated, total: event.files, unit: 'items', fields: {format: event.format}})
        break
      default:
        break
    }
    return event
  }
  return Object.assign(follow, {
    finish(completed: boolean) {
      if (!completed) return
      if (last?.total !== undefined) {
        if (last.done < last.total) update({...last, done: last.total})
      } else if (generatesOnly && dataset) {
        // at DLIO's default log level (warning) datagen prints no bar line at all: DLIO's own total
        const files = dataset.num_files_train + Math.max(0, dataset.num_files_eval ?? 0)
        update({done: files, total: files, unit: 'items', fields: {format: dataset.format.toUpperCase()}})
      }
    },
  })
}
