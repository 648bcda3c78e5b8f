import assert from 'node:assert/strict'
import {findSecrets} from '../../src/submit/secret-patterns.js'
import {findMachinePaths, machinePrefixes, rewriteMachinePaths} from '../../src/submit/machine-paths.js'

describe('what submit refuses as a secret', () => {
  it('finds credentials by their shape and secret-named keys with a value, masked', () => {
    const text = [
      'ok line',
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
      '"aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",',
      'MILVUS_TOKEN=root:Milvus-sup3r',
      'url: s3://user:hunter22@bucket.example',
    ].join('\n')
    const hits = findSecrets(text)
    assert.deepEqual([...new Set(hits.map(hit => hit.line))], [2, 3, 4, 5, 6])
    for (const hit of hits) {
      assert.ok(!hit.masked.includes('EXAMPLEKEY') && !hit.masked.includes('sup3r') && !hit.masked.includes('hunter22'), hit.masked)
    }
  })

  it('lets figures, switches, redactions and references through', () => {
    const text = [
      '"decode_tokens_per_second": 12345.678,', '"max_tokens": 4096', 'password: ***', '"api_key": null', 'token=${MILVUS_TOKEN}',
      '"secret_sauce": false', '"argv": ["--password", "<redacted>"]',
      // kv-cache.py's own words: figures about tokens and code, no credential
      '"tokenizer": "meta-llama/Llama-3.1-8B"', 'throughput_tokens_per_sec=throughput_value', 'context_tokens=int(request.context)', 'self.ms_per_token=GENERATION_TIMING',
      'remaining_token = self.remaining_budget',
    ].join('\n')
    assert.deepEqual(findSecrets(text), [])
  })
})

describe('absolute paths of the run machine', () => {
  it('finds them by whole path segments and rewrites the results dir before the temp dir it sits in', () => {
    const prefixes = machinePrefixes('/tmp/mlps-x/results')
    const text = '{"cwd": "/tmp/mlps-x/results/open", "data": "/tmp/mlps-x/data/unet3d", "other": "/tmpfoo/bar", "home": "/root/.ssh"}'
    assert.deepEqual(findMachinePaths(text, prefixes), ['/root/.ssh', '/tmp/mlps-x/data/unet3d', '/tmp/mlps-x/results/open'])
    assert.equal(rewriteMachinePaths(text, prefixes), '{"cwd": "<results-dir>/open", "data": "<tmp>/mlps-x/data/unet3d", "other": "/tmpfoo/bar", "home": "~/.ssh"}')
  })
})
