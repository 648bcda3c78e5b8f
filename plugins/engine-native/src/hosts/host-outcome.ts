import {relative} from 'node:path'
import {type EngineResult, ExitCode, MlpsError} from 'mlps'
import type {HostRunOutcome} from './host-run.js'

/** What the record keeps of a run over hosts: how the workers were started, where they met, who they were. */
export function hostsExtra(outcome: HostRunOutcome): Record<string, unknown> {
  return {
    transport: outcome.transport, rendezvous: outcome.rendezvous, workers: outcome.workers,
    barriers: outcome.barriers.map(barrier => ({name: barrier.name, spreadMs: Math.max(...barrier.arrivedWallMs) - Math.min(...barrier.arrivedWallMs), releasedWallMs: barrier.releasedWallMs})),
    stepBarriers: outcome.stepBarriers,
    strays: outcome.strays,
  }
}

/**
 * The engine result of a run over hosts that did not complete. A host that never reached the
 * rendezvous means nothing ran: that is refused as an environment problem (exit 3), with the fix.
 */
export function unfinishedResult(outcome: HostRunOutcome, leaf: string): EngineResult {
  if (outcome.unreachable) {
    throw new MlpsError(outcome.reason ?? 'hosts did not reach the rendezvous', {
      where: 'engines.native.rendezvous', exitCode: ExitCode.EnvironmentNotReady,
      fix: `every host must reach ${outcome.rendezvous} over TCP (open that port to this machine, or set engines.native.rendezvous.port to one that is open and .address to this machine's address on the hosts' network), and have mlps and node at the same paths as here`,
    })
  }
  return {
    status: outcome.status, reason: outcome.reason, commands: outcome.commands,
    artifacts: outcome.logs.map(file => relative(leaf, file)),
    extra: {native: {hosts: hostsExtra(outcome), ...(outcome.failedHost ? {failedHost: outcome.failedHost} : {})}},
  }
}
