import assert from 'node:assert/strict'
import {parseJumpHop, SshConfig} from '@mlps/plugin-collector-ssh'

describe('~/.ssh/config as the SSH collector reads it', () => {
  const config = SshConfig.parse(`# site defaults first, as users write them
Host node01 gpu-*
  HostName 10.0.0.%h
  Port=2222
  User alice
  IdentityFile ~/.ssh/cluster_ed25519

Host gpu-* !gpu-login
  ProxyJump bastion@gate.example:2200,hop2
  Port 22

Match exec "true"
  User nobody

Host *
  User bob
  IdentityFile "%d/.ssh/id_%u"
`)

  it('honours aliases, HostName (with %h), Port, User, IdentityFile and ProxyJump; the first value wins, IdentityFile adds up', () => {
    assert.deepEqual(config.forHost('node01', '/home/alice', 'alice'), {
      hostName: '10.0.0.node01', port: 2222, user: 'alice', identityFiles: ['/home/alice/.ssh/cluster_ed25519', '/home/alice/.ssh/id_alice'], proxyJump: undefined,
    })
    assert.deepEqual(config.forHost('gpu-7', '/h', 'u').proxyJump, ['bastion@gate.example:2200', 'hop2'])
    assert.equal(config.forHost('gpu-7', '/h', 'u').port, 2222, 'the first Port that applies')
    assert.equal(config.forHost('gpu-login', '/h', 'u').proxyJump, undefined, 'a negated pattern excludes the host')
  })

  it('leaves Match blocks out rather than guess their conditions, and knows nothing of a host it does not list', () => {
    assert.equal(config.forHost('other', '/h', 'u').user, 'bob')
    assert.deepEqual(SshConfig.parse('').forHost('x', '/h', 'u'), {hostName: undefined, port: undefined, user: undefined, identityFiles: [], proxyJump: undefined})
  })

  it('reads ProxyJump hops as [user@]host[:port]', () => {
    assert.deepEqual(parseJumpHop('bastion@gate.example:2200'), {user: 'bastion', host: 'gate.example', port: 2200})
    assert.deepEqual(parseJumpHop('hop2'), {user: undefined, host: 'hop2', port: undefined})
    assert.deepEqual(parseJumpHop('ssh://root@[::1]:22'), {user: 'root', host: '::1', port: 22})
  })
})
