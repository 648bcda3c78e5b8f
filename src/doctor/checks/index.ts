import type {PreflightCheck} from '../check.js'
import {clockSkewCheck, reachableCheck, resultsDirSharedCheck} from './cluster-fact-checks.js'
import {dropCachesCheck} from './drop-caches.js'
import {freeSpaceCheck} from './free-space.js'
import {hostSlotsCheck} from './host-slots.js'
import {mlpsInstallCheck, mlpsPluginsCheck} from './mlps-install.js'
import {mpiLauncherCheck} from './mpi-launcher.js'
import {removeIpcCheck} from './remove-ipc.js'

/** The core's own checks, in its contribution (registry/core-contribution.ts); plugins add theirs through `checks` in theirs. */
export const coreChecks: readonly PreflightCheck[] = [
  reachableCheck, mlpsInstallCheck, mlpsPluginsCheck, mpiLauncherCheck, freeSpaceCheck, resultsDirSharedCheck,
  clockSkewCheck, dropCachesCheck, removeIpcCheck, hostSlotsCheck,
]
