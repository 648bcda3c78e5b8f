import {Worker} from 'node:worker_threads'
const url = new URL('./w.ts', import.meta.url).href
for (const code of [`import(${JSON.stringify(url)})`, `import('tsx/esm/api').then(m => m.register()).then(() => import(${JSON.stringify(url)}))`]) {
  await new Promise<void>(r => { const w = new Worker(code, {eval: true}); w.on('error', e => { console.log('err', e.message); r() }); w.on('exit', () => { console.log('exit'); r() }) })
}
