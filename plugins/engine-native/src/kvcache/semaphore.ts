/** At most `limit` holders at once (limit 0: no bound), first come first served. */
export class Semaphore {
  private held = 0
  private readonly waiting: Array<() => void> = []

  constructor(private readonly limit: number) {}

  async acquire(): Promise<void> {
    if (this.limit === 0 || this.held < this.limit) {
      this.held++
      return
    }
    await new Promise<void>(resolve => this.waiting.push(resolve))
  }

  release(): void {
    const next = this.waiting.shift()
    if (next) next()
    else this.held--
  }
}
