import type {Hook} from '@oclif/core'
import {releaseStopSignals} from '../src/command/stop-signals.js'

/**
 * bin/run.js holds SIGINT/SIGTERM from the start for mlps's commands to take over (MlpsCommand);
 * a command that is not one of them (help, plugins, autocomplete) gets them back as Node has them,
 * so a Ctrl-C still ends it.
 */
const hook: Hook<'prerun'> = async function ({Command}) {
  if (!(Command as {takesStopSignals?: boolean}).takesStopSignals) releaseStopSignals()
}

export default hook
