import { hashUser } from "../domain/users.js";

/**
 * User key → packed look-up state, keyed by the input's 64-bit user hash instead of the key string: two hash
 * lanes and a 32-bit value per slot (docs/NOTES-PERFORMANCE.md). A collision (odds ~n²/2⁶⁵) could give a wrong
 * `already` that skips a change, which the change's own answer would not catch; the odds make that acceptable.
 */
export class UserStateTable {
  #slots: Uint32Array;
  #mask: number;
  #size = 0;
  readonly #lanes = new Uint32Array(2);

  constructor(initialCapacity = 1024) {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(16, initialCapacity * 2)));
    this.#slots = new Uint32Array(capacity * 3);
    this.#mask = capacity - 1;
  }

  get size(): number {
    return this.#size;
  }

  get byteLength(): number {
    return this.#slots.byteLength;
  }

  /** Store `value` (non-zero) for the user value (email or id; emails case-insensitively). */
  set(user: string, value: number): void {
    if (value === 0) throw new RangeError("0 marks an empty slot");
    hashUser(user, this.#lanes);
    const [h1 = 0, h2 = 0] = this.#lanes;
    if ((this.#size + 1) * 4 > (this.#mask + 1) * 3) this.#grow();
    this.#insert(h1, h2, value);
  }

  get(user: string): number | undefined {
    hashUser(user, this.#lanes);
    const [h1 = 0, h2 = 0] = this.#lanes;
    const slots = this.#slots;
    for (let slot = h1 & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const base = slot * 3;
      const value = slots[base + 2] ?? 0;
      if (value === 0) return undefined;
      if (slots[base] === h1 && slots[base + 1] === h2) return value;
    }
  }

  #insert(h1: number, h2: number, value: number): void {
    const slots = this.#slots;
    for (let slot = h1 & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const base = slot * 3;
      if ((slots[base + 2] ?? 0) === 0) {
        slots[base] = h1;
        slots[base + 1] = h2;
        slots[base + 2] = value;
        this.#size += 1;
        return;
      }
      if (slots[base] === h1 && slots[base + 1] === h2) {
        slots[base + 2] = value;
        return;
      }
    }
  }

  #grow(): void {
    const old = this.#slots;
    this.#slots = new Uint32Array(old.length * 2);
    this.#mask = this.#mask * 2 + 1;
    this.#size = 0;
    for (let base = 0; base < old.length; base += 3) {
      const value = old[base + 2] ?? 0;
      if (value !== 0) this.#insert(old[base] ?? 0, old[base + 1] ?? 0, value);
    }
  }
}
