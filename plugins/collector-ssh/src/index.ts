/**
 * The SSH collector's library API: what tests and other tools may reuse.
 * The registry wiring lives in hooks/.
 */
export {parseJumpHop, SshConfig} from './ssh-config.js'
