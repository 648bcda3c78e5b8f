import type {CollectorDefinition, PluginContribution} from 'mlps'
import {samplerAllocationCheck} from '../mpi-checks.js'

const mpiCollector: CollectorDefinition = {
  name: 'mpi',
  description: 'Collect host facts with one gatherer rank per host through the MPI launcher (Open MPI, MPICH, srun)',
  async snapshot(request) {
    const {mpiSnapshot} = await import('../mpi-snapshot.js')
    return mpiSnapshot(request)
  },
  async startSampler(request) {
    const {startMpiSampler} = await import('../mpi-sampler.js')
    return startMpiSampler(request)
  },
}

export default async function register(): Promise<PluginContribution> {
  return {apiVersion: 1, collectors: [mpiCollector], checks: [samplerAllocationCheck]}
}
