import type {PreflightCheck} from 'mlps'
import {handlerChecks} from './native-engine.js'
import {coordinationCheck, rendezvousCheck} from './hosts/rendezvous-check.js'

/**
 * The native engine is built in: nothing to install, on any host mlps runs
 * on. Its real preconditions (dataset present, space, permissions) depend on
 * the run and are checked by each benchmark handler's checks.
 */
export const nativeReadyCheck: PreflightCheck = {
  id: 'native.ready',
  title: 'native engine installed',
  runsOn: 'controller',
  engine: 'native',
  async run() {
    return {status: 'ok', detail: 'built into mlps: nothing to install (Node.js worker threads on this host, one worker process per host across hosts)'}
  },
}

export const nativeChecks: PreflightCheck[] = [nativeReadyCheck, coordinationCheck, rendezvousCheck, ...handlerChecks]
