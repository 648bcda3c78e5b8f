import {join} from 'node:path'
import {FS_SEPARATION_STATE, type SeparationByHost} from '../doctor/checks/fs-separation.js'
import {type Lifecycle, LifecycleStage} from '../lifecycle/lifecycle.js'
import {writeJsonAtomic} from './atomic-write.js'
import {FS_SEPARATION_FILE, type HostSeparation, separationDocument} from './fs-separation.js'

/** At setup, once the leaf exists: what the preflight measured goes into the leaf as fs_separation.json. */
export function tapFsSeparationRecord(lifecycle: Lifecycle): void {
  lifecycle.setup.tapPromise({name: 'mlps:fsSeparation', stage: LifecycleStage.Core}, async ctx => {
    const byHost = ctx.state.get(FS_SEPARATION_STATE) as SeparationByHost | undefined
    if (!ctx.leaf || !byHost || byHost.size === 0) return
    const entries = [...byHost.values()]
    const measured = entries.filter((entry): entry is HostSeparation => !('unmeasured' in entry))
    const unmeasured = entries.filter(entry => 'unmeasured' in entry)
    const document = separationDocument(ctx.config.resultsDir, measured, new Date())
    // a host not measured leaves the question open: the rules then say "not evaluable", never "separate"
    await writeJsonAtomic(join(ctx.leaf, FS_SEPARATION_FILE), unmeasured.length > 0 ? {...document, same_filesystem: null, unmeasured} : document)
    ctx.record.artifacts.push(FS_SEPARATION_FILE)
  })
}
