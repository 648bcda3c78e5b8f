/**
 * The mlps plugin API: the contract's types, the base command classes,
 * MlpsError and the few constants a plugin needs to use them. This is what
 * stays stable. Internals that first-party plugins share (launchers,
 * collectors' helpers, report cells, ...) are in `mlps/unstable`, which may
 * change in any release. Plugins reach the running CLI's copy of both.
 */
export {Args, Flags} from '@oclif/core'
export type {Interfaces} from '@oclif/core'
export {z} from 'zod'
export {BenchmarkCommand} from './command/benchmark-command.js'
export {MlpsCommand} from './command/mlps-command.js'
export type * from './contract.js'
export {MlpsError} from './errors.js'
export {ExitCode} from './exit-codes.js'
export {LifecycleStage} from './lifecycle/lifecycle.js'
export {definePlugin} from './registry/definitions.js'
