import {dlioResultsReader} from '@mlps/result-formats'
import type {BenchmarkResults} from 'mlps'
import {checkpointingHeadline} from './checkpointing-headline.js'
import {checkpointingReport} from './checkpointing-report.js'

export const checkpointingResults: BenchmarkResults = {folder: 'checkpointing', reader: dlioResultsReader, report: checkpointingReport, runHeadline: checkpointingHeadline}
