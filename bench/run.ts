import {benchCheckpointVsFio} from './checkpoint-vs-fio.js'
import {benchCluster} from './cluster.js'
import {benchLaunch} from './launch.js'
import {benchLaunchers} from './launchers.js'
import {benchNativeHosts} from './native-hosts.js'
import {benchNativeS3} from './native-s3.js'
import {benchNativeVsDlio} from './native-vs-dlio.js'
import {benchNativeVsFio} from './native-vs-fio.js'
import {benchStartup} from './startup.js'
import {benchSubmit} from './submit.js'
import {benchVerify} from './verify.js'

// Each bench prints one JSON object per line: figures plus a ratio against
// a baseline measured in the same run.
const only = process.argv[2]
const benches: Record<string, () => Record<string, unknown> | Promise<Record<string, unknown>>> = {
  startup: benchStartup,
  'native-vs-fio': benchNativeVsFio,
  'checkpoint-vs-fio': benchCheckpointVsFio,
  'native-vs-dlio': benchNativeVsDlio,
  verify: benchVerify,
  submit: benchSubmit,
  cluster: benchCluster,
  launch: benchLaunch,
  launchers: benchLaunchers,
  'native-hosts': benchNativeHosts,
  'native-s3': benchNativeS3,
}
for (const [name, bench] of Object.entries(benches)) {
  if (only && only !== name) continue
  process.stdout.write(JSON.stringify(await bench()) + '\n')
}
