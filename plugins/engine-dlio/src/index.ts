/**
 * The DLIO engine's library API: what tests and other tools may reuse.
 * The registry wiring lives in hooks/.
 */
export {dlioProgress} from './dlio-progress.js'
