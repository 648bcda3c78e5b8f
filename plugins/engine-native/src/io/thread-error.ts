import {MlpsError} from 'mlps'

/**
 * An error thrown in a worker thread reaches the parent as a plain Error that keeps its name and own
 * fields; an MlpsError (an S3 endpoint that refused, a missing bucket) is made one again, so that its
 * fix and exit code reach the user.
 */
export function reviveThreadError(error: Error): Error {
  if (error instanceof MlpsError || error.name !== 'MlpsError') return error
  const {exitCode, fix, where} = error as Partial<MlpsError>
  return new MlpsError(error.message, {exitCode, fix, where, cause: error})
}
