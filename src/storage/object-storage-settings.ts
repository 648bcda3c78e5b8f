import type {MlpsConfig} from '../config/schema.js'

/** The site config's `objectStorage` section with its defaults, whether or not the file has one. */
export type ObjectStorageSettings = NonNullable<MlpsConfig['objectStorage']>

export function objectStorageSettings(config: MlpsConfig): ObjectStorageSettings {
  return config.objectStorage ?? {region: 'us-east-1', forcePathStyle: true, credentials: 'environment', allowAws: false}
}

// AWS's own S3 endpoints, including the dual-stack, FIPS and China partitions (*.amazonaws.com, *.amazonaws.com.cn, *.api.aws)
const AWS_HOST = /(^|\.)(amazonaws\.com(\.cn)?|api\.aws)$/i

/**
 * Whether requests would go to real AWS: an AWS host name, or no endpoint at all, which every S3 client
 * (and DLIO's s3torchconnector, user-asks.md §1.8) takes to mean AWS.
 */
export function isAwsEndpoint(endpoint: string | undefined): boolean {
  if (endpoint === undefined) return true
  return AWS_HOST.test(new URL(endpoint).hostname)
}

/** The variables that hold S3 credentials, forwarded to engines by name (their values are never recorded). */
export const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const

/** The variables that say where the credentials file is and which profile of it to read. */
export const CREDENTIAL_FILE_VARIABLES = ['AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE'] as const
