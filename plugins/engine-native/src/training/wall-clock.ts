/** Wall-clock milliseconds with sub-millisecond resolution (Date.now() has only milliseconds). */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now()
}

/** DLIO's `utcnow()`: local time `YYYY-MM-DDTHH:MM:SS.ffffff`, no zone (engines.md §2.2). */
export function dlioTimestamp(wallMs: number): string {
  const date = new Date(Math.floor(wallMs))
  const two = (n: number) => String(n).padStart(2, '0')
  const micros = String(Math.floor(wallMs * 1000) % 1_000_000).padStart(6, '0')
  return (
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}` +
    `T${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${micros}`
  )
}
