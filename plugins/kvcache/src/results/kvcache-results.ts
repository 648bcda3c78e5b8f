import type {BenchmarkResults} from 'mlps'
import {kvcacheHeadline} from './kvcache-headline.js'
import {kvcacheReport} from './kvcache-report.js'
import {kvcacheResultsReader} from './kvcache-reader.js'

export const kvcacheResults: BenchmarkResults = {folder: 'kv_cache', reader: kvcacheResultsReader, report: kvcacheReport, runHeadline: kvcacheHeadline}
