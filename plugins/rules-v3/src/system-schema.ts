import {z} from 'mlps'

// The v3.0 system description YAML (rules.md §2.2 "v3.0 YAML", SCHEMA3 mlpstorage_py/system_description/schema.yaml,
// with the fields added during the v3.0 review, AP3). Read as: every key below sits under `system_under_test`.
// Extra keys are allowed (SCHEMA3 is yamale with strict=False in the checker). `solution.capabilities` is left
// to rule 4.7.4, so a missing capability is reported once, under its own rule.

const positiveInt = z.number().int().min(0)
const text = z.string().min(1)

const networking = z.looseObject({
  unit_count: positiveInt,
  type: z.enum(['ethernet', 'infiniband', 'other']),
  state: z.enum(['up', 'down']),
  speed: z.number().min(0),
  traffic: z.array(z.enum(['management', 'data', 'metadata', 'backend'])),
})

const drive = z.looseObject({
  unit_count: positiveInt,
  vendor_name: text,
  model_name: text,
  interface: z.enum(['nvme', 'sas', 'sata', 'other']),
  media_type: z.enum(['HDD', 'TLC', 'QLC', 'other']),
  capacity_in_GB: z.number().min(0),
})

const powerDevice = z.looseObject({
  min_psus_active: positiveInt,
  psus_configured: z.array(z.looseObject({
    unit_count: positiveInt,
    inlet_voltage: z.number().min(0),
    nameplate_power_watts: z.number().min(0),
    efficiency: z.enum(['Standard', 'Bronze', 'Silver', 'Gold', 'Platinum', 'Titanium', 'Ruby', 'Unrated']),
  })),
})

export const NodeDescriptionSchema = z.looseObject({
  friendly_description: text,
  quantity: positiveInt,
  chassis: z.looseObject({
    model_name: text,
    rack_units: z.number().min(0).optional(),
    cpu_model: text,
    cpu_qty: positiveInt,
    cpu_cores: positiveInt,
    /** GiB */
    memory_capacity: z.number().min(0),
    power: powerDevice.optional(),
  }),
  networking: z.array(networking),
  drives: z.array(drive).optional(),
  operating_system: z.looseObject({name: text, version: z.union([text, z.number()])}),
  environment: z.array(z.unknown()).optional(),
  sysctl: z.array(z.unknown()).optional(),
})

export const SystemDescriptionSchema = z.looseObject({
  system_under_test: z.looseObject({
    solution: z.looseObject({
      submission_name: text,
      friendly_description: text,
      architecture: z.looseObject({
        storage_location: z.enum(['remote', 'local', 'remote_and_local']),
        benchmark_API: z.enum(['file', 'object']),
        product_API: z.enum(['file', 'object', 'block']),
        client_footprint: z.enum(['open_source', 'closed_source', 'n/a']),
        client_installation: z.enum(['in_box', 'installable', 'n/a']),
      }),
      capabilities: z.unknown(),
      /** added during the v3.0 review: ≥ 1, fractions allowed */
      usable_capacity_tib: z.number().min(1),
      availability: z.enum(['available', 'preview', 'RDI']),
      int_client_store_tib: z.number().min(0).optional(),
    }),
    deployment: z.enum(['onprem', 'cloud']),
    product_nodes: z.array(NodeDescriptionSchema).optional(),
    product_switches: z.array(z.unknown()).optional(),
    total_rack_units: z.number().min(0).optional(),
    rack_power_supplies: z.array(z.unknown()).optional(),
    clients: z.array(NodeDescriptionSchema).min(1),
  }).refine(sut => sut.deployment !== 'onprem' || sut.solution.architecture.storage_location === 'local' || (sut.product_nodes?.length ?? 0) > 0, {
    message: 'product_nodes is required for an on-prem system with remote storage', path: ['product_nodes'],
  }),
})

export interface Capabilities {
  multi_host?: unknown
  simultaneous_write?: unknown
  simultaneous_read?: unknown
  remap_time_in_seconds?: unknown
}

/** `system_under_test.solution.capabilities` of a parsed system YAML, if it has one. */
export function capabilitiesOf(data: unknown): Capabilities | undefined {
  const solution = (data as {system_under_test?: {solution?: {capabilities?: unknown}}} | undefined)?.system_under_test?.solution
  const capabilities = solution?.capabilities
  return capabilities && typeof capabilities === 'object' && !Array.isArray(capabilities) ? capabilities as Capabilities : undefined
}
