import assert from 'node:assert/strict'
import {loadConfig} from '../../src/config/load-config.js'
import {isSecretKey, redactSecrets, redactText, rememberArgvSecrets} from '../../src/util/redact-secrets.js'

describe('the one redaction rule', () => {
  it('names as secrets the keys of a secret, key, token, password or credential, and nothing else', () => {
    for (const key of ['storage.storage_options.secret_key', 'secretKey', 'AWS_SECRET_ACCESS_KEY', 'api_key', 'access_key_id', 'ssh.password', '--ssh-password', 'MILVUS_TOKEN', 'credential', 'private_key']) {
      assert.ok(isSecretKey(key), key)
    }
    for (const key of ['ssh.strictHostKeyChecking', 'dataset.num_files_train', 'keys', 'reader.read_threads', 'max_tokens', 'identityFile', 'credentials', 'bytesPerToken', 'bytes_per_token', 'key', 'pass']) {
      assert.ok(!isSecretKey(key), key)
    }
  })

  it('redacts URI userinfo passwords and secret assignments in text, keeping the rest', () => {
    assert.equal(redactText('connect to http://admin:pa55@milvus:19530/db'), 'connect to http://admin:***@milvus:19530/db')
    assert.equal(redactText('++workload.storage.storage_options.secret_key=abc123 ++workload.train.epochs=2'), '++workload.storage.storage_options.secret_key=*** ++workload.train.epochs=2')
    assert.equal(redactText('secret_key: abc123'), 'secret_key: ***')
    assert.equal(redactText('expected key=value'), 'expected key=value', 'prose is left alone')
  })

  it('redacts a deep copy, by key and by remembered value, leaving the original for the engine', () => {
    rememberArgvSecrets(['training', 'run', '--param', 'storage.storage_options.secret_key=Remembered-77'])
    const original = {parameters: {storage: {storage_options: {secret_key: 'Remembered-77', endpoint: 'http://u:p1@s3:9000'}}}, reason: 'the engine said: bad key Remembered-77', n: 3}
    const redacted = redactSecrets(original)
    assert.deepEqual(redacted, {parameters: {storage: {storage_options: {secret_key: '***', endpoint: 'http://u:***@s3:9000'}}}, reason: 'the engine said: bad key ***', n: 3})
    assert.equal(original.parameters.storage.storage_options.secret_key, 'Remembered-77')
  })

  it('remembers the secrets of the config file too, so text quoting them is scrubbed', async () => {
    await loadConfig({env: {}, cwd: '/', flags: [{path: 'engines', value: {dlio: {env: {AWS_SECRET_ACCESS_KEY: 'FromConfig-5150'}}}, flag: '--test'}]})
    assert.equal(redactText('dlio said: denied for FromConfig-5150'), 'dlio said: denied for ***')
  })
})
