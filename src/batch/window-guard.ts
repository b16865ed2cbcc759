/**
 * The hard rule under the pacing: never more than `limit` request starts in any window of `windowMs`, measured
 * on the starts as they really happened. Bottleneck spaces starts on a grid of timers; when the event loop is
 * late (GC, a busy machine) several timers fire together and a burst would go out. This guard holds such a burst
 * back, so a stall can cost time but never a 429. Pure: the caller passes the clock readings.
 */
export class WindowGuard {
  readonly #starts: Float64Array;
  readonly #windowMs: number;
  #next = 0;
  #count = 0;

  constructor(limit: number, windowMs: number) {
    if (!(limit >= 1)) throw new RangeError(`Expected \`limit\` to be >= 1, got \`${limit}\``);
    this.#starts = new Float64Array(Math.floor(limit));
    this.#windowMs = windowMs;
  }

  /** How long to wait before a start at `now` keeps the window within the limit; 0 means go. */
  delayMs(now: number): number {
    if (this.#count < this.#starts.length) return 0;
    // The oldest of the last `limit` starts must have left the window.
    const oldest = this.#starts[this.#next] ?? 0;
    return Math.max(0, oldest + this.#windowMs - now);
  }

  record(now: number): void {
    this.#starts[this.#next] = now;
    this.#next = (this.#next + 1) % this.#starts.length;
    this.#count = Math.min(this.#count + 1, this.#starts.length);
  }
}
