import {RunRecordSchema, type RunRecord, type RunRecordInput} from '../../src/results/run-record.js'

/** A run record as an engine's collect step leaves it, with only the parts a test gives. */
export function recordWith(parts: Partial<RunRecordInput>): RunRecord {
  return RunRecordSchema.parse({
    schemaVersion: 1, runId: 'test', mlps: {version: '0.0.0'}, benchmark: 'test', command: 'run', division: 'closed', status: 'COMPLETED',
    invocation: {argv: ['mlps'], cwd: '/', hostname: 'h'}, timings: {startedAt: '2026-01-01T00:00:00.000Z'}, category: 'UNVERIFIED', ...parts,
  })
}
