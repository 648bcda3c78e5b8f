export {buildLaunch} from './build-launch.js'
export {detectLauncher, type DetectOptions, findExecutable, type LauncherType} from './detect-launcher.js'
export {forwardedEnvironment, isSecretName, recordedEnvironment} from './env-forwarding.js'
export {type LaunchCommand, type LauncherInfo, type LauncherKind, type LauncherSettings, type LaunchRequest, RUN_ID_VARIABLE} from './launcher.js'
export {ioBytesOfRun, killProcessesOfRun, processesOfRun} from './process-scan.js'
export {type LaunchOutcome, runLaunch, type RunLaunchOptions, type WatchdogOptions} from './run-launch.js'
export {parseLauncherVersion} from './version-text.js'
// src/index.ts re-exports only parseHosts from src/hosts and two parsers from src/engine-output; until
// it re-exports their barrels too, plugins reach the rest through this one
export {parseHostfile, readHostfile} from '../hosts/hostfile.js'
export {type HostRanks, placeRanks, type RankPlacement} from '../hosts/placement.js'
export * from '../engine-output/index.js'
