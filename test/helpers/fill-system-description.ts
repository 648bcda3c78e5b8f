/** What a submitter writes in place of each placeholder of a generated system description (a lab machine with local storage). */
export function fillIn(document: any): any {
  const sut = document.system_under_test
  Object.assign(sut.solution, {friendly_description: 'the lab\'s tmpfs', usable_capacity_tib: 1, availability: 'available'})
  sut.solution.architecture = {storage_location: 'local', benchmark_API: 'file', product_API: 'file', client_footprint: 'n/a', client_installation: 'n/a'}
  sut.solution.capabilities = {multi_host: false, simultaneous_write: true, simultaneous_read: true, remap_time_in_seconds: 0}
  sut.deployment = 'onprem'
  delete sut.product_nodes
  for (const client of sut.clients) {
    client.chassis.model_name = 'lab VM'
    for (const nic of client.networking) nic.traffic = ['data']
  }
  return document
}
