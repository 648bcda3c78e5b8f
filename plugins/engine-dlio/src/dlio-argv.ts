import {hydraValue} from './hydra-value.js'

/** Hydra copies the composed config here inside the run dir (mlpstorage's HYDRA_OUTPUT_SUBDIR). */
export const HYDRA_OUTPUT_SUBDIR = 'dlio_config'

export interface DlioArgvInput {
  bin: string
  /** the workload config's name, e.g. unet3d_b200, unet3d_datagen, llama3_8b */
  workloadName: string
  /** where DLIO writes (the run leaf) */
  runDir: string
  configDir: string
  overrides: ReadonlyArray<readonly [string, unknown]>
}

/**
 * DLIO's command line as mlpstorage builds it (mlpstorage-spec.md §3.4, generate_dlio_command):
 * `dlio_benchmark workload=<name> ++hydra.run.dir=<dir> ++hydra.output_subdir=dlio_config
 * ++workload.<k>=<v>... --config-dir=<dir>`, one argv element each.
 */
export function dlioArgv(input: DlioArgvInput): string[] {
  return [
    input.bin,
    `workload=${input.workloadName}`,
    `++hydra.run.dir=${hydraValue(input.runDir)}`,
    `++hydra.output_subdir=${HYDRA_OUTPUT_SUBDIR}`,
    ...input.overrides.map(([key, value]) => `++workload.${key}=${hydraValue(value)}`),
    `--config-dir=${input.configDir}`,
  ]
}
