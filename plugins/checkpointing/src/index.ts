/**
 * The checkpointing benchmark's library API: what tests and other tools may
 * reuse. The oclif wiring lives in hooks/ and commands/.
 */
export {clearPageCaches, probeCacheClear} from './page-cache.js'
export {gapFindings} from './pair-record.js'
