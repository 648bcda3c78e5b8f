import type {MlpsConfig} from '../config/schema.js'

/** The site config's `objectStorage` section with its defaults, whether or not the file has one. */
export type ObjectStorageSettings = NonNullable<MlpsConfig['objectStorage']>

export function objectStorageSettings(config: MlpsConfig): ObjectStorageSettings {
  return config.objectStorage ?? {region: 'us-east-1', forcePathStyle: true, credentials: 'environment', allowAws: false}
}
