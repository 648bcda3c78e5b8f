import {dlioResultsReader} from '@mlps/result-formats'
import type {BenchmarkResults} from 'mlps'
import {checkpointingReport} from './checkpointing-report.js'

export const checkpointingResults: BenchmarkResults = {folder: 'checkpointing', reader: dlioResultsReader, report: checkpointingReport}
