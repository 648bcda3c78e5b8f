// One lane of the plain GET loop of bench/native-s3.ts: the same client as the native engine's
// reader threads (the built mlps's openObjectStore), one whole-object GET at a time.
import {parentPort, workerData} from 'node:worker_threads'
import {openObjectStore} from 'mlps/unstable'

const {objectStorage, bucket, keys} = workerData
const store = await openObjectStore(objectStorage, {bucket, where: 'bench', maxSockets: 2})
const buffer = Buffer.allocUnsafe(4 << 20)
parentPort.once('message', async () => {
  let bytes = 0
  for (const key of keys) bytes += await store.getObjectInto(key, buffer)
  store.close()
  parentPort.postMessage({bytes})
})
parentPort.postMessage({ready: true})
