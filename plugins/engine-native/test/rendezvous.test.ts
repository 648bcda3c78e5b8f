import assert from 'node:assert/strict'
import {getEventListeners} from 'node:events'
import {HostFailure, type HostReport, RendezvousClient, RendezvousServer, seatRanks, shellQuote} from '@mlps/plugin-engine-native'
import type {RunContext} from 'mlps'

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise(resolve => setTimeout(resolve, 20))
}

const SEATS = [{host: 'node01', ranks: [0, 2]}, {host: 'node02', ranks: [1]}]

/** A worker as the launcher would start it on seat `launchRank`: real TCP to the server on loopback. */
function join(server: RendezvousServer, launchRank: number): Promise<RendezvousClient> {
  return RendezvousClient.connect(`127.0.0.1:${server.port}`, server.token, {OMPI_COMM_WORLD_RANK: String(launchRank)})
}

describe('the native engine\'s rendezvous (real TCP on loopback)', function () {
  this.timeout(20_000)
  let server: RendezvousServer

  beforeEach(async () => {
    server = await RendezvousServer.open({seats: SEATS, bindAddress: '127.0.0.1', silenceTimeoutMs: 3000})
  })
  afterEach(() => server.close())

  it('seats workers by launch rank, hands each its task, releases a barrier only once every host arrived, and gathers results in seat order', async () => {
    const [a, b] = await Promise.all([join(server, 1), join(server, 0)])
    await server.gathered()
    assert.deepEqual(server.missing(), [])
    server.start(seat => ({ranks: seat.ranks}))
    const [taskA, taskB] = await Promise.all([a.task(), b.task()])
    assert.deepEqual([taskA.host, taskA.task], ['node02', {ranks: [1]}])
    assert.deepEqual([taskB.host, taskB.task], ['node01', {ranks: [0, 2]}])
    let released = false
    const waitA = a.barrier('epoch 1 start').then(() => { released = true })
    await new Promise(resolve => setTimeout(resolve, 200))
    assert.equal(released, false, 'released before the second host arrived')
    await Promise.all([waitA, b.barrier('epoch 1 start')])
    assert.deepEqual(server.barriers.map(barrier => barrier.name), ['epoch 1 start'])
    a.done('from node02')
    b.done('from node01')
    assert.deepEqual(await server.results(), ['from node01', 'from node02'])
    const finished = Promise.all([a.finished(), b.finished()])
    await server.close()
    await finished
  })

  it('a barrier leaves no abort listener behind once released: a run of many steps (a barrier each) keeps the same few', async () => {
    const [a, b] = await Promise.all([join(server, 0), join(server, 1)])
    await server.gathered()
    server.start(() => ({}))
    await Promise.all([a.task(), b.task()])
    const before = getEventListeners(a.signal, 'abort').length
    for (let step = 0; step < 50; step++) await Promise.all([a.barrier(`step ${step}`, true), b.barrier(`step ${step}`, true)])
    assert.equal(getEventListeners(a.signal, 'abort').length, before)
    a.done(null)
    b.done(null)
    await server.results()
  })

  it('a worker whose connection drops before it is done fails the run naming its host; the others are told to abort', async () => {
    const [a, b] = await Promise.all([join(server, 0), join(server, 1)])
    await server.gathered()
    server.start(() => ({}))
    await Promise.all([a.task(), b.task()])
    const results = server.results()
    ;(b as unknown as {socket: {destroy(): void}}).socket.destroy()
    await assert.rejects(results, (error: unknown) => error instanceof HostFailure && error.host === 'node02' && /node02 \(ranks 1\) ended before its ranks finished/.test(error.message))
    await new Promise<void>(resolve => a.signal.aborted ? resolve() : a.signal.addEventListener('abort', () => resolve()))
    assert.match(String((a.signal.reason as Error).message), /node02 failed/)
  })

  it('a worker that was signalled (the launcher stopping everyone) gives way to the host that really failed', async () => {
    const [a, b] = await Promise.all([join(server, 0), join(server, 1)])
    await server.gathered()
    server.start(() => ({}))
    await Promise.all([a.task(), b.task()])
    const results = server.results()
    // node01 goes first, but because it was signalled; node02's worker then dies outright
    await new Promise<void>(resolve => a.signalled('SIGTERM', resolve))
    await new Promise(resolve => setTimeout(resolve, 100))
    ;(b as unknown as {socket: {destroy(): void}}).socket.destroy()
    await assert.rejects(results, (error: unknown) => error instanceof HostFailure && error.host === 'node02')
  })

  it('a worker that says it failed fails the run with its message and host', async () => {
    const [a, b] = await Promise.all([join(server, 0), join(server, 1)])
    await server.gathered()
    server.start(() => ({}))
    await Promise.all([a.task(), b.task()])
    const results = server.results()
    a.failed('the dataset is missing')
    await assert.rejects(results, /the worker on node01 failed: the dataset is missing/)
    b.close()
  })

  it('a silent worker (its host gone without closing the connection) fails the run naming its host', async () => {
    const [a, b] = await Promise.all([join(server, 0), join(server, 1)])
    await server.gathered()
    server.start(() => ({}))
    await Promise.all([a.task(), b.task()])
    // node02 stops beating but keeps its connection open, as a host that lost power does
    clearInterval((b as unknown as {beatTimer: NodeJS.Timeout}).beatTimer)
    await assert.rejects(server.results(), (error: unknown) => error instanceof HostFailure && error.host === 'node02' && /silent/.test(error.message))
    a.close()
    b.close()
  })

  it('each host\'s progress reaches the controller with its state: starting until it reports, running, then done', async () => {
    const seen: HostReport[][] = []
    const watched = await RendezvousServer.open({seats: SEATS, bindAddress: '127.0.0.1', onHostReports: reports => seen.push(reports)})
    try {
      const [a, b] = await Promise.all([watched.port, watched.port].map((port, rank) =>
        RendezvousClient.connect(`127.0.0.1:${port}`, watched.token, {OMPI_COMM_WORLD_RANK: String(rank)})))
      await watched.gathered()
      watched.start(() => ({}))
      await Promise.all([a.task(), b.task()])
      assert.deepEqual(watched.hostReports().map(report => report.state), ['starting', 'starting'])
      b.progress({step: 3})
      await until(() => seen.length === 1)
      assert.deepEqual(seen[0], [{host: 'node01', ranks: [0, 2], state: 'starting'}, {host: 'node02', ranks: [1], state: 'running', progress: {step: 3}}])
      a.progress({step: 4})
      b.done('result')
      await until(() => seen.length === 3)
      assert.deepEqual(seen[2].map(report => [report.host, report.state, report.progress]), [['node01', 'running', {step: 4}], ['node02', 'done', {step: 3}]])
      a.done('result')
      await watched.results()
    } finally {
      await watched.close()
    }
  })

  it('after an abort, close() returns only once every worker closed its connection, which a worker does as its process ends', async () => {
    const [a, b] = await Promise.all([join(server, 0), join(server, 1)])
    await server.gathered()
    server.abort('interrupted')
    await new Promise<void>(resolve => a.signal.aborted && b.signal.aborted ? resolve() : b.signal.addEventListener('abort', () => resolve()))
    let closed = false
    const closing = server.close().then(() => { closed = true })
    await new Promise(resolve => setTimeout(resolve, 500))
    assert.equal(closed, false, 'close() returned while the workers were still up')
    // the workers' processes end
    for (const client of [a, b]) (client as unknown as {socket: {destroy(): void}}).socket.destroy()
    await closing
  })

  it('a connection with the wrong token is not seated', async () => {
    const stranger = await RendezvousClient.connect(`127.0.0.1:${server.port}`, 'not-the-token', {OMPI_COMM_WORLD_RANK: '0'})
    await new Promise<void>(resolve => stranger.signal.aborted ? resolve() : stranger.signal.addEventListener('abort', () => resolve()))
    assert.deepEqual(server.missing(), ['node01', 'node02'])
  })

  it('an abort (SIGINT) reaches every worker', async () => {
    const [a, b] = await Promise.all([join(server, 0), join(server, 1)])
    await server.gathered()
    server.abort('interrupted')
    for (const client of [a, b]) {
      await new Promise<void>(resolve => client.signal.aborted ? resolve() : client.signal.addEventListener('abort', () => resolve()))
      assert.match(String((client.signal.reason as Error).message), /interrupted/)
    }
  })
})

describe('native ranks over hosts', () => {
  const ctx = (hosts: Array<{name: string; slots?: number}>) => ({hosts}) as unknown as RunContext

  it('deals ranks as --map-by node does: rank r on the next host in turn with ranks left', () => {
    assert.deepEqual(seatRanks(ctx([{name: 'a'}, {name: 'b'}, {name: 'c'}]), 7), [{host: 'a', ranks: [0, 3, 6]}, {host: 'b', ranks: [1, 4]}, {host: 'c', ranks: [2, 5]}])
    assert.deepEqual(seatRanks(ctx([{name: 'a', slots: 1}, {name: 'b', slots: 4}]), 4), [{host: 'a', ranks: [0]}, {host: 'b', ranks: [1, 2, 3]}])
    assert.deepEqual(seatRanks(ctx([{name: 'a'}, {name: 'b'}]), 1), [{host: 'a', ranks: [0]}])
  })

  it('quotes the remote command of an SSH launch so the remote shell passes every word on unchanged', () => {
    assert.equal(shellQuote('/usr/bin/node'), '/usr/bin/node')
    assert.equal(shellQuote("it's $HOME; rm -rf /"), `'it'\\''s $HOME; rm -rf /'`)
  })
})
