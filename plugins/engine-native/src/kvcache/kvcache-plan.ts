import {MlpsError, z} from 'mlps'

/**
 * The run plan `mlps kvcache run` hands every engine as `ctx.options` (the kvcache plugin's
 * KvRunPlan). It comes from another plugin, so it is checked here like any external input; only
 * what the emulation uses is read.
 */
const TemplateSchema = z.object({
  kind: z.string(),
  contextTokens: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  generationTokens: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
})

const PassSchema = z.object({
  option: z.number().int(),
  optionName: z.string(),
  trial: z.number().int().nonnegative(),
  kvBytesPerToken: z.number().int().positive(),
  generationSecondsPerToken: z.number().nonnegative(),
  params: z.object({
    model: z.string(),
    numUsers: z.number().int().positive(),
    durationSeconds: z.number().positive(),
    gpuMemGb: z.number().nonnegative(),
    cpuMemGb: z.number().nonnegative(),
    maxConcurrentAllocs: z.number().int().nonnegative(),
    generationMode: z.string(),
    disableMultiTurn: z.boolean().optional(),
  }).passthrough(),
})

export const KvNativePlanSchema = z.object({
  passes: z.array(PassSchema).min(1),
  ranks: z.number().int().positive(),
  seedBase: z.number().int().nonnegative(),
  interOptionDelaySeconds: z.number().nonnegative(),
  cacheDir: z.string().optional(),
  userTemplates: z.array(TemplateSchema).min(1),
  maxContextTokens: z.number().int().positive().optional(),
}).passthrough()

export type KvNativePlan = z.output<typeof KvNativePlanSchema>
export type KvNativePass = KvNativePlan['passes'][number]
export type KvUserTemplate = KvNativePlan['userTemplates'][number]

export function kvNativePlan(options: Record<string, unknown>): KvNativePlan {
  const parsed = KvNativePlanSchema.safeParse(options)
  if (parsed.success) return parsed.data
  const problems = parsed.error.issues.slice(0, 3).map(issue => `${issue.path.join('.')}: ${issue.message}`).join('; ')
  throw new MlpsError(`the kvcache run plan is not one the native engine understands: ${problems}`, {where: 'native engine', fix: 'use the @mlps/plugin-kvcache that ships with this mlps'})
}
