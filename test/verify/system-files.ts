import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {stringify} from 'yaml'

// A system description that satisfies the v3.0 schema as rules.md §2.2 describes it (synthetic:
// no real v3.0 system YAML is in the reference fixtures), and a stand-in PDF beside it (R 2.1.7).

const node = (description: string, quantity: number) => ({
  friendly_description: description, quantity,
  chassis: {model_name: 'R760', rack_units: 2, cpu_model: 'Xeon Gold 6430', cpu_qty: 2, cpu_cores: 32, memory_capacity: 512},
  networking: [{unit_count: 2, type: 'ethernet', state: 'up', speed: 200, traffic: ['data']}],
  drives: [{unit_count: 8, vendor_name: 'Acme', model_name: 'NV1', interface: 'nvme', media_type: 'TLC', capacity_in_GB: 7680}],
  operating_system: {name: 'Debian', version: '12'},
})

export function systemDescription(name: string): Record<string, unknown> {
  return {
    system_under_test: {
      solution: {
        submission_name: name, friendly_description: 'shared NVMe-oF file system',
        architecture: {storage_location: 'remote', benchmark_API: 'file', product_API: 'file', client_footprint: 'closed_source', client_installation: 'installable'},
        capabilities: {multi_host: true, simultaneous_write: true, simultaneous_read: true, remap_time_in_seconds: 0},
        usable_capacity_tib: 120.5, availability: 'available',
      },
      deployment: 'onprem',
      product_nodes: [node('storage node', 4)],
      clients: [node('client', 2)],
    },
  }
}

export function writeSystemFiles(root: string, submitter: string, system: string, description: Record<string, unknown> = systemDescription(system)): void {
  const dir = join(root, submitter, 'systems')
  mkdirSync(dir, {recursive: true})
  writeFileSync(join(dir, `${system}.yaml`), stringify(description))
  writeFileSync(join(dir, `${system}.pdf`), '%PDF-1.4\n% stand-in disclosure document for tests\n%%EOF\n')
}
