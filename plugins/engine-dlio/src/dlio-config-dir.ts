import {mkdir} from 'node:fs/promises'
import {join} from 'node:path'
import {stringify} from 'yaml'
import type {DlioWorkload} from '@mlps/run-options'
import {writeFileAtomic} from 'mlps/unstable'

/** Inside the leaf, the DLIO config dir mlps writes: so the leaf records exactly what DLIO was given. */
export const CONFIG_DIR_NAME = 'dlio_workload_config'

// mlpstorage's configs/dlio/config.yaml (engines.md §1.2): hydra's own logging off, the workload group
// chosen on the command line; DLIO's packaged config.yaml is shadowed because --config-dir comes first.
const ROOT_CONFIG = `# A set of configuration (written by mlps, as mlpstorage's configs/dlio/config.yaml)
defaults:
  - _self_
  - workload:
  - override hydra/job_logging: disabled
  - override hydra/hydra_logging: disabled
hydra:
  run:
    dir: ./results/\${workload.model}/\${now:%Y-%m-%d}-\${now:%H-%M-%S}
`

export function configDirIn(leaf: string): string {
  return join(leaf, CONFIG_DIR_NAME)
}

/** The workload YAML DLIO composes, from the typed catalogue workload (one source of truth). */
export function workloadYaml(workloadName: string, workload: DlioWorkload): string {
  return `# ${workloadName}: the official workload as mlps's catalogue holds it; this run's overrides are on the command line\n` +
    stringify(workload, {lineWidth: 0})
}

/** Write `config.yaml` and `workload/<name>.yaml` into `dir`; returns the files written. */
export async function writeDlioConfigDir(dir: string, workloadName: string, workload: DlioWorkload): Promise<string[]> {
  await mkdir(join(dir, 'workload'), {recursive: true})
  const files = [join(dir, 'config.yaml'), join(dir, 'workload', `${workloadName}.yaml`)]
  await writeFileAtomic(files[0], ROOT_CONFIG)
  await writeFileAtomic(files[1], workloadYaml(workloadName, workload))
  return files
}
