/**
 * The vector-database benchmark's library API: what tests and other tools
 * may reuse (argv builders, parsers, checks). The oclif wiring lives in
 * hooks/ and commands/.
 */
export {loadArgv, queryArgv, type ScriptLocation} from './vdbbench/vdbbench-argv.js'
export {parseLoadLog, parseQueryStdout, type LoadLog, type QueryStdout} from './vdbbench/vdbbench-logs.js'
export {parseVdbbenchStatistics, statisticsMetrics, summaryOf, type VdbbenchStatistics} from './vdbbench/vdbbench-statistics.js'
export {groundTruthComplete, parseVdbbenchVerdict, type VdbbenchVerdict} from './vdbbench/vdbbench-verdict.js'
export {checkCollection, portReachable} from './vdbbench/milvus-checks.js'
export {milvusToken} from './vdbbench/milvus-credentials.js'
export {vectordbFindings} from './vectordb-verdict.js'
export {vectordbDatasize} from './datasize.js'
export {vectordbOptions, type VectordbRunOptions} from './vectordb-inputs.js'
export {defaultCollectionName, INDEX_TYPES} from './index-types.js'
export {combineHostStatistics, type HostStatistics} from './vdbbench/combine-hosts.js'
export {chooseOrchestration, hostFolder, hostShares, type HostShare, type Orchestration} from './vdbbench/orchestration.js'
export {planHostRuns, type HostInvocation, type HostRunPlan} from './vdbbench/host-runs.js'
export {HOST_SHIM} from './vdbbench/host-shim.js'
export {EXPECTED_RECALL, vectordbHeadline} from './results/vectordb-headline.js'
