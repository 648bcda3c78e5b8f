import {Worker} from 'node:worker_threads'
for (const opts of [{}, {execArgv: ['--import', 'tsx']}, {execArgv: [...process.execArgv]}]) {
  await new Promise<void>(r => { const w = new Worker(new URL('./w.ts', import.meta.url), opts as any); w.on('error', e => { console.log('err', JSON.stringify(opts), e.message); r() }); w.on('exit', () => r()) })
}
