/**
 * The hard rule under the spacing: never more than `limit` requests in any `windowMs`, since Zoom counts arrivals
 * and late timers fire together. A request counts from when it is written to its connection (`sent`), as a token
 * look-up or handshake before that would crowd a later window; until written, it counts as leaving now. Pure; the
 * limit can drop below its first value (and come back) when adaptive pacing shares the budget with other apps.
 */
export class WindowGuard {
  readonly #windowMs: number;
  readonly #maxLimit: number;
  #limit: number;
  /** When each recently written request leaves its window, in the order they were written (a ring). */
  readonly #ends: Float64Array;
  #next = 0;
  #count = 0;
  /** Started, not yet written: when each started. */
  readonly #unsent = new Map<number, number>();
  #slots = 0;
  #scratch: Float64Array;

  constructor(limit: number, windowMs: number) {
    if (!(limit >= 1)) throw new RangeError(`Expected \`limit\` to be >= 1, got \`${limit}\``);
    this.#maxLimit = Math.floor(limit);
    this.#limit = this.#maxLimit;
    this.#windowMs = windowMs;
    // Two windows' worth: an entry older than that has left any window a later start can share with it.
    this.#ends = new Float64Array(2 * this.#maxLimit);
    this.#scratch = new Float64Array(this.#ends.length);
  }

  get limit(): number {
    return this.#limit;
  }

  /** Requests allowed per window from now on: whole, at least 1, at most the limit the guard was made with. */
  setLimit(limit: number): void {
    this.#limit = Math.min(this.#maxLimit, Math.max(1, Math.floor(limit)));
  }

  /** How long to wait before a start at `now` keeps the window within the limit; 0 means go. */
  delayMs(now: number): number {
    const needed = this.#count + this.#unsent.size;
    if (needed < this.#limit) return 0;
    if (this.#scratch.length < needed) this.#scratch = new Float64Array(needed);
    let inWindow = 0;
    for (let n = 0; n < this.#count; n++) {
      const end = this.#ends[n] ?? 0;
      if (end > now) this.#scratch[inWindow++] = end;
    }
    for (let n = this.#unsent.size; n > 0; n--) this.#scratch[inWindow++] = now + this.#windowMs;
    if (inWindow < this.#limit) return 0;
    // The window has room again once all but `limit - 1` of these have left it: wait for the limit-th latest.
    const ends = this.#scratch.subarray(0, inWindow).sort();
    return Math.max(0, (ends[inWindow - this.#limit] ?? now) - now);
  }

  /** A request starts at `now`; it counts as leaving any moment until {@link sent} or {@link settled}. */
  start(now: number): number {
    this.#slots += 1;
    this.#unsent.set(this.#slots, now);
    return this.#slots;
  }

  /** The request of `slot` was written to its connection at `at`. */
  sent(slot: number, at: number): void {
    const startedAt = this.#unsent.get(slot);
    if (startedAt === undefined) return;
    this.#unsent.delete(slot);
    this.#push(Math.max(at, startedAt) + this.#windowMs);
  }

  /**
   * The request of `slot` is over. One never reported written failed before reaching its connection (or the
   * client could not tell): it counts from its start, the earliest it could have left.
   */
  settled(slot: number): void {
    const startedAt = this.#unsent.get(slot);
    if (startedAt !== undefined) this.sent(slot, startedAt);
  }

  #push(end: number): void {
    this.#ends[this.#next] = end;
    this.#next = (this.#next + 1) % this.#ends.length;
    this.#count = Math.min(this.#count + 1, this.#ends.length);
  }
}
