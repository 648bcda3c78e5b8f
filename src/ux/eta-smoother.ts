/** seconds over which a new estimate takes over from the old one */
const TIME_CONSTANT_SECONDS = 10

/**
 * A smoothed ETA: each raw estimate (the remaining work over the rate, or the
 * engine's own) is blended exponentially into the previous estimate counted
 * down by the time since, so one slow step neither doubles nor halves it.
 */
export class EtaSmoother {
  private estimate?: number
  private at = 0

  reset(): void {
    this.estimate = undefined
  }

  next(raw: number | undefined, now: number): number | undefined {
    if (raw === undefined || !Number.isFinite(raw) || raw < 0) return this.estimate === undefined ? undefined : this.countdown(now)
    if (this.estimate === undefined) {
      this.estimate = raw
    } else {
      const elapsed = Math.max(0, now - this.at)
      const weight = 1 - Math.exp(-elapsed / TIME_CONSTANT_SECONDS)
      this.estimate = weight * raw + (1 - weight) * Math.max(0, this.estimate - elapsed)
    }
    this.at = now
    return this.estimate
  }

  private countdown(now: number): number {
    return Math.max(0, (this.estimate as number) - (now - this.at))
  }
}
