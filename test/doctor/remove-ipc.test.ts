import assert from 'node:assert/strict'
import {effectiveRemoveIpc, parseLogindReport} from '../../src/doctor/checks/remove-ipc.js'

describe('doctor: systemd-logind RemoveIPC', () => {
  it('is yes by systemd default when nothing sets it', () => {
    assert.deepEqual(effectiveRemoveIpc({'/etc/systemd/logind.conf': '[Login]\n#RemoveIPC=yes\n'}), {value: true, source: 'systemd default'})
  })

  it('reads the main file, then drop-ins by name; /etc hides the same name elsewhere', () => {
    const files = {
      '/etc/systemd/logind.conf': '[Login]\nRemoveIPC=no\n',
      '/usr/lib/systemd/logind.conf.d/10-vendor.conf': '[Login]\nRemoveIPC=yes\n',
      '/etc/systemd/logind.conf.d/10-vendor.conf': '[Login]\nRemoveIPC=no\n',
      '/run/systemd/logind.conf.d/20-late.conf': '[Login]\nRemoveIPC=on\n',
    }
    assert.deepEqual(effectiveRemoveIpc(files), {value: true, source: '/run/systemd/logind.conf.d/20-late.conf'})
    const {'/run/systemd/logind.conf.d/20-late.conf': _late, ...withoutLate} = files
    assert.deepEqual(effectiveRemoveIpc(withoutLate), {value: false, source: '/etc/systemd/logind.conf.d/10-vendor.conf'})
  })

  it('ignores the key outside [Login]', () => {
    assert.equal(effectiveRemoveIpc({'/etc/systemd/logind.conf': '[Other]\nRemoveIPC=no\n'}).value, true)
  })

  it('parses the framed report the host prints', () => {
    const report = parseLogindReport('1000\nsystemd\n@@file /etc/systemd/logind.conf\n[Login]\nRemoveIPC=no\n\n')
    assert.equal(report.uid, 1000)
    assert.equal(report.systemd, true)
    assert.equal(effectiveRemoveIpc(report.files).value, false)
  })
})
