/**
 * The v3.0 rules editions as a library: what tests and other tools may
 * reuse. The registry wiring lives in hooks/.
 */
export {editionV3, editionV3Corrected} from './editions.js'
export {groupClients} from './system-clients.js'
export {systemDescriptionV3} from './system-description.js'
export {placeholdersIn} from './system-placeholders.js'
export {checkpointFilesystemSeparation, kvcacheFilesystemSeparation, vdbFilesystemSeparation} from './filesystem-rules.js'
export {trainingFilesystemSeparation} from './training-rules.js'
