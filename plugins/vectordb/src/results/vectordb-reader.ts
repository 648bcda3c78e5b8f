import {VECTORDB_SUMMARY_FORMAT, VectordbSummarySchema, vectordbSummaryMetrics} from '@mlps/result-formats'
import type {ResultsReader} from 'mlps'

/** vdbbench's verdict on the ground truth (R 5.3.5, #808), its recall and its effective configuration (engines.md §4.4) */
const DOCUMENTS = ['result_verdict.json', 'recall_stats.json', 'config.json']

/** A vector-database leaf's statistics (summary.json, or vdbbench's statistics.json) and the side files its rules read. */
export const vectordbResultsReader: ResultsReader = {
  name: 'vectordb',
  marks: {files: ['summary.json']},
  async read(run, files) {
    const file = files.listed.includes('summary.json') ? 'summary.json' : files.listed.includes('statistics.json') ? 'statistics.json' : undefined
    const summary = file ? await files.readTyped(file, VectordbSummarySchema, 'a vector-database summary') : undefined
    if (file && summary) {
      run.summaries.push({file: files.rel(file), format: VECTORDB_SUMMARY_FORMAT, summary})
      run.sources.summary = files.rel(file)
      run.status ??= 'COMPLETED'
      run.metrics = {...vectordbSummaryMetrics(summary), ...run.metrics}
    }
    for (const document of DOCUMENTS.filter(name => files.listed.includes(name))) {
      const data = await files.readObject(document)
      if (data) run.documents[document] = data
    }
  },
}
