/** Maps `items` through `task` with at most `concurrency` tasks in flight, keeping order. */
export async function boundedMap<T, R>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await task(items[i], i)
  }
  await Promise.all(Array.from({length: Math.max(1, Math.min(concurrency, items.length))}, lane))
  return results
}
