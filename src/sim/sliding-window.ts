/**
 * Counts arrivals in a sliding window, the way the simulator enforces Zoom's per-second limits. The window is
 * (nowMs - windowMs, nowMs], so N evenly spaced arrivals a second never trip a limit of N. Its ring buffer grows
 * only with the busiest window, not with the run. Times must not decrease (a monotonic clock).
 */
export class SlidingWindow {
  readonly windowMs: number;
  private times: Float64Array;
  private head = 0; // index of the oldest timestamp
  private size = 0;

  constructor(windowMs = 1000, initialCapacity = 64) {
    if (!(windowMs > 0)) throw new RangeError(`Expected \`windowMs\` to be > 0, got \`${windowMs}\``);
    this.windowMs = windowMs;
    this.times = new Float64Array(Math.max(1, Math.ceil(initialCapacity)));
  }

  /** Arrivals inside the window ending at nowMs (drops the ones that have left it). */
  count(nowMs: number): number {
    this.evict(nowMs);
    return this.size;
  }

  /** Records an arrival at nowMs unconditionally. */
  add(nowMs: number): void {
    this.evict(nowMs);
    if (this.size === this.times.length) this.grow();
    this.times[(this.head + this.size) % this.times.length] = nowMs;
    this.size++;
  }

  /** Records an arrival at nowMs only if fewer than `limit` are already in the window; says whether it did. */
  tryAdd(nowMs: number, limit: number): boolean {
    if (this.count(nowMs) >= limit) return false;
    this.add(nowMs);
    return true;
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
  }

  private evict(nowMs: number): void {
    const oldestAllowedExclusive = nowMs - this.windowMs;
    const capacity = this.times.length;
    while (this.size > 0 && (this.times[this.head] ?? Number.POSITIVE_INFINITY) <= oldestAllowedExclusive) {
      this.head = (this.head + 1) % capacity;
      this.size--;
    }
  }

  private grow(): void {
    const bigger = new Float64Array(this.times.length * 2);
    for (let i = 0; i < this.size; i++) bigger[i] = this.times[(this.head + i) % this.times.length] ?? 0;
    this.times = bigger;
    this.head = 0;
  }
}
