import {dlioResultsReader} from '@mlps/result-formats'
import type {BenchmarkResults} from 'mlps'
import {trainingHeadline} from './training-headline.js'
import {trainingReport} from './training-report.js'

export const trainingResults: BenchmarkResults = {folder: 'training', reader: dlioResultsReader, report: trainingReport, runHeadline: trainingHeadline}
