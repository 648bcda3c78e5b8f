import type {BenchmarkResults} from 'mlps'
import {vectordbHeadline} from './vectordb-headline.js'
import {vectordbReport} from './vectordb-report.js'
import {vectordbResultsReader} from './vectordb-reader.js'

/** `vector_database/<backend>/<INDEX>/{datagen,run}/`: the index type names the workload (rules.md §2.1) */
export const vectordbResults: BenchmarkResults = {folder: 'vector_database', workloadFolder: 'last', reader: vectordbResultsReader, report: vectordbReport, runHeadline: vectordbHeadline}
