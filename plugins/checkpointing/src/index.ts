/**
 * The checkpointing benchmark's library API: what tests and other tools may
 * reuse. The oclif wiring lives in hooks/ and commands/.
 */
export {checkpointLayout, scaleLayout} from './checkpoint-geometry.js'
export {planCheckpoints} from './checkpoint-plan.js'
export {checkpointingFlags} from './checkpointing-flags.js'
export {LLM_MODEL_SPECS, LLM_MODELS, modelWorkload} from './models.js'
export {clearPageCaches, probeCacheClear} from './page-cache.js'
export {gapFindings} from './pair-record.js'
export {checkpointingHeadline} from './results/checkpointing-headline.js'
