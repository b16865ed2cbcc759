/**
 * The hard rule under the pacing: never more than `limit` request starts in any window of `windowMs`, measured
 * on the starts as they really happened. Bottleneck spaces starts on a grid of timers; when the event loop is
 * late (GC, a busy machine) several timers fire together and a burst would go out. This guard holds such a burst
 * back, so a stall can cost time but never a 429. Pure: the caller passes the clock readings.
 *
 * The limit can be lowered below the one it was made with (and raised back up to it): adaptive pacing sends fewer
 * per window when other apps use part of the account's budget, and a burst of ours would then fill what is left.
 */
export class WindowGuard {
  readonly #starts: Float64Array;
  readonly #windowMs: number;
  #limit: number;
  #next = 0;
  #count = 0;

  constructor(limit: number, windowMs: number) {
    if (!(limit >= 1)) throw new RangeError(`Expected \`limit\` to be >= 1, got \`${limit}\``);
    this.#starts = new Float64Array(Math.floor(limit));
    this.#limit = this.#starts.length;
    this.#windowMs = windowMs;
  }

  get limit(): number {
    return this.#limit;
  }

  /** Starts allowed per window from now on: whole, at least 1, at most the limit the guard was made with. */
  setLimit(limit: number): void {
    this.#limit = Math.min(this.#starts.length, Math.max(1, Math.floor(limit)));
  }

  /** How long to wait before a start at `now` keeps the window within the limit; 0 means go. */
  delayMs(now: number): number {
    if (this.#count < this.#limit) return 0;
    // The `limit`-th most recent start must have left the window.
    const capacity = this.#starts.length;
    const oldest = this.#starts[(this.#next - this.#limit + capacity) % capacity] ?? 0;
    return Math.max(0, oldest + this.#windowMs - now);
  }

  record(now: number): void {
    this.#starts[this.#next] = now;
    this.#next = (this.#next + 1) % this.#starts.length;
    this.#count = Math.min(this.#count + 1, this.#starts.length);
  }
}
