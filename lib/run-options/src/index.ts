/**
 * @mlps/run-options: what each MLPerf Storage benchmark hands the engines
 * that run it (ctx.options), as zod schemas with their types. Benchmark
 * plugins declare these schemas (`runOptionsSchema`), so the core checks the
 * options before preflight; engine plugins narrow a run context to them.
 * Plugins never import each other; they both import this.
 */
export * from './dlio-workload.js'
export * from './dlio-run-options.js'
export * from './training-run-options.js'
export * from './checkpointing-run-options.js'
export * from './kvcache-run-options.js'
export * from './vectordb-run-options.js'
export {hasRunOptions, requireRunOptions, runWithOptions} from './typed-run.js'
export {type AppliedParam, applyParams, NEW_PARAM_FLAG, type ParamAssignment, ParamError, type ParamValue, parseParam} from './workload-params.js'
export {KNOWN_DLIO_KEYS, OPEN_DLIO_SECTIONS} from './dlio-known-keys.js'
