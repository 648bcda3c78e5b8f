/**
 * The MPI collector's library API: what tests and other tools may reuse.
 * The registry wiring lives in hooks/.
 */
export {startMpiSampler} from './mpi-sampler.js'
export {mpiSnapshot} from './mpi-snapshot.js'
export {RankFrames} from './rank-frames.js'
export {splitLabelledLine} from './rank-output.js'
