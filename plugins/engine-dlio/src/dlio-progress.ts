import {type DlioLogEvent, dlioLogEvent} from '@mlps/result-formats'
import type {DlioWorkload} from '@mlps/run-options'
import type {Progress} from 'mlps'

/**
 * Turn DLIO's log lines (it prints them to the console as well as to dlio.log) into progress: steps of
 * the current epoch for training, checkpoints done for checkpointing, files written for datagen. Lines DLIO does not print at its
 * default level simply leave the bar where it is.
 */
export function dlioProgress(progress: Progress, workload: DlioWorkload | undefined): (line: string) => DlioLogEvent | undefined {
  const epochs = workload?.train?.epochs ?? 1
  const checkpointsTotal = (workload?.checkpoint?.num_checkpoints_write ?? 0) + (workload?.checkpoint?.num_checkpoints_read ?? 0)
  let stepsPerEpoch = 0
  let epoch = 0
  let checkpointsDone = 0
  let filesGenerated = 0
  const fields: Record<string, string> = {}
  return line => {
    const event = dlioLogEvent(line)
    if (!event) return undefined
    switch (event.kind) {
      case 'epochStart':
        epoch = event.epoch
        stepsPerEpoch = event.steps
        fields.epoch = `${epoch}/${epochs}`
        progress.update({done: (epoch - 1) * stepsPerEpoch, total: epochs * stepsPerEpoch, unit: 'items', fields})
        break
      case 'blockEnd':
      case 'epochEnd':
        if (stepsPerEpoch > 0) progress.update({done: (epoch - 1) * stepsPerEpoch + event.steps, total: epochs * stepsPerEpoch, unit: 'items', fields})
        break
      case 'au':
        fields.AU = `${event.percent.toFixed(1)}%`
        break
      case 'throughput':
        fields['samples/s'] = event.samplesPerSecond.toFixed(1)
        break
      case 'checkpoint':
        checkpointsDone++
        fields[event.operation === 'save' ? 'write GB/s' : 'read GB/s'] = event.gbPerSecond.toFixed(2)
        progress.update({done: checkpointsDone, total: checkpointsTotal || undefined, unit: 'items', fields})
        break
      case 'generation':
        // ranks report the global index of the file each just wrote, interleaved: the largest is how far datagen got
        filesGenerated = Math.max(filesGenerated, event.file)
        progress.update({done: filesGenerated, total: event.files, unit: 'items', fields: {format: event.format}})
        break
      default:
        break
    }
    return event
  }
}
