/**
 * The DLIO engine's library API: what tests and other tools may reuse.
 * The registry wiring lives in hooks/.
 */
export {checkDlioArtifacts, describeMissing} from './dlio-artifacts.js'
export {checkDlioImports, resolveDlioBinary} from './dlio-binary.js'
export {lastEngineError} from './dlio-engine-error.js'
export {removeUnusedCheckpointFolder} from './dlio-leaf-cleanup.js'
export {dlioProgress} from './dlio-progress.js'
