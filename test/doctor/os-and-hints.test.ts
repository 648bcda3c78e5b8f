import assert from 'node:assert/strict'
import {installCommand, installHint, pipInstallCommand, SYSTEM_PACKAGES} from '../../src/doctor/install-hints.js'
import {parseOsRelease} from '../../src/doctor/os-detect.js'

const RELEASES: Record<string, string> = {
  debian: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n',
  ubuntu: 'NAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\nID_LIKE=debian\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\n',
  rocky: 'NAME="Rocky Linux"\nVERSION_ID="9.3"\nID="rocky"\nID_LIKE="rhel centos fedora"\n',
  alma: 'NAME="AlmaLinux"\nVERSION_ID="9.4"\nID="almalinux"\nID_LIKE="rhel centos fedora"\n',
  fedora: 'NAME="Fedora Linux"\nVERSION_ID=40\nID=fedora\n',
  suse: 'NAME="SLES"\nVERSION_ID="15.5"\nID="sles"\nID_LIKE="suse"\n',
  arch: 'NAME="Arch Linux"\nID=arch\nBUILD_ID=rolling\n',
  derivative: 'NAME="Some Ubuntu Spin"\nID=spin\nID_LIKE="ubuntu debian"\n',
}

describe('doctor: OS detection and install hints', () => {
  it('tells the package-manager family from ID, then ID_LIKE', () => {
    const families = Object.fromEntries(Object.entries(RELEASES).map(([name, text]) => [name, parseOsRelease(text).family]))
    assert.deepEqual(families, {debian: 'debian', ubuntu: 'debian', rocky: 'rhel', alma: 'rhel', fedora: 'fedora', suse: 'suse', arch: 'arch', derivative: 'debian'})
    assert.equal(parseOsRelease(RELEASES.ubuntu).prettyName, 'Ubuntu 22.04.4 LTS')
    assert.equal(parseOsRelease('ID=plan9\n').family, 'unknown')
  })

  it('gives the exact install command for each OS', () => {
    const commands = Object.fromEntries(Object.entries(RELEASES).map(([name, text]) => [name, installCommand(parseOsRelease(text), SYSTEM_PACKAGES.openmpi)]))
    assert.equal(commands.debian, 'apt-get install -y openmpi-bin libopenmpi-dev')
    assert.equal(commands.rocky, 'dnf install -y openmpi openmpi-devel')
    assert.equal(commands.fedora, 'dnf install -y openmpi openmpi-devel')
    assert.equal(commands.suse, 'zypper install -y openmpi4 openmpi4-devel')
    assert.equal(commands.arch, 'pacman -S --noconfirm openmpi')
    assert.equal(installCommand({family: 'macos', id: 'macos', versionId: null, prettyName: 'macOS'}, SYSTEM_PACKAGES.openmpi), 'brew install open-mpi')
    assert.match(installHint(parseOsRelease('ID=plan9\nPRETTY_NAME="Plan 9"\n'), SYSTEM_PACKAGES.openmpi, 'Open MPI'), /install Open MPI with Plan 9's package manager/)
  })

  it('quotes pip specs only where the shell needs it', () => {
    assert.equal(pipInstallCommand('python3', ['mpi4py', 'dlio-benchmark @ git+https://x/y.git']), 'python3 -m pip install mpi4py \'dlio-benchmark @ git+https://x/y.git\'')
    assert.equal(pipInstallCommand(['/usr/bin/env', 'python3'], ['it\'s']), '/usr/bin/env python3 -m pip install \'it\'\\\'\'s\'')
  })
})
