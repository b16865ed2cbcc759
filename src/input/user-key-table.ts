import type { Action } from "../domain/actions.js";
import { hashUser } from "../domain/users.js";

/**
 * Remembers, for every user key seen in a file, the first line of each action — in constant memory per key and
 * without keeping the key strings, so a million-row file costs tens of megabytes, not hundreds.
 *
 * Keys are stored as a 64-bit hash (two independent 32-bit lanes, cyrb53-style mixing) in an open-addressing table
 * of typed arrays. Two different users collide with probability about n² / 2⁶⁵: for a million distinct users that
 * is ~3·10⁻⁸ per file. A collision can only make a row look like a duplicate or conflict of another user's row, so
 * the failure is "not sent, reported", never a change to the wrong user.
 *
 * Slot layout, four uint32 per slot, side by side so that a probe touches one cache line:
 *   [0] hash lane 1, [1] hash lane 2,
 *   [2] INFO: bit 31 = conflict, bit 30 = first action is deactivate, bits 0–29 = line of the key's first row
 *       (0 marks an empty slot: data rows start at line 2),
 *   [3] without conflict: rows so far; with conflict: first line of the other action.
 */
export class UserKeyTable {
  /** Lines must fit in 30 bits; a CSV with a billion lines is not an HR export. */
  static readonly MAX_LINE = 0x3fffffff;

  #slots: Uint32Array;
  /** Slots; any number (not only powers of two), so that a table sized from an estimate is no bigger than needed. */
  #capacity: number;
  #size = 0;
  /** Scratch output of hashUser: two numbers without allocating a tuple per row. */
  readonly #lanes = new Uint32Array(2);

  /** Rows added (valid rows only: the caller checks first). */
  validRows = 0;
  /** Keys with a single action: one row each is sent. */
  sendKeys = 0;
  sendActivate = 0;
  sendDeactivate = 0;
  /** Rows of keys that have both actions. */
  conflictRows = 0;

  /**
   * A table that holds `expectedKeys`, and a tenth more (the estimate comes from the file's first lines), without
   * growing: growing rehashes every key, and for a moment holds the old table and the new one twice its size.
   * Estimates past MAX_PRESIZED_SLOTS start there and grow as needed, so a wild estimate costs at most that much.
   */
  static forKeys(expectedKeys: number): UserKeyTable {
    const slots = Math.ceil((Math.max(0, expectedKeys) * 1.1 * 4) / 3) + 1;
    return new UserKeyTable(Math.min(slots, MAX_PRESIZED_SLOTS));
  }

  /** `initialCapacity` slots (at least 16); the table doubles past three quarters full. */
  constructor(initialCapacity = 4096) {
    this.#capacity = Math.max(16, Math.ceil(initialCapacity));
    this.#slots = new Uint32Array(this.#capacity * 4);
  }

  get size(): number {
    return this.#size;
  }

  /** Bytes held by the table (for tests and the benchmark). */
  get byteLength(): number {
    return this.#slots.byteLength;
  }

  get duplicateRows(): number {
    return this.validRows - this.sendKeys - this.conflictRows;
  }

  /** Records a valid row. Rows must come in file order (lines increasing). */
  add(user: string, action: Action, line: number): void {
    if (!(line >= 2 && line <= UserKeyTable.MAX_LINE)) throw new RangeError(`line ${line} out of range`);
    this.validRows++;
    hashUser(user, this.#lanes);
    const lane1 = this.#lanes[0] ?? 0;
    const lane2 = this.#lanes[1] ?? 0;
    let base = this.#find(lane1, lane2);
    const slots = this.#slots;
    const info = slots[base + 2] ?? 0;
    const deactivate = action === "deactivate";
    if (info === 0) {
      if ((this.#size + 1) * 4 > this.#capacity * 3) {
        this.#grow();
        base = this.#find(lane1, lane2);
      }
      this.#size++;
      this.sendKeys++;
      if (deactivate) this.sendDeactivate++;
      else this.sendActivate++;
      this.#slots[base] = lane1;
      this.#slots[base + 1] = lane2;
      this.#slots[base + 2] = deactivate ? line | DEACTIVATE_FIRST : line;
      this.#slots[base + 3] = 1;
      return;
    }
    if ((info & CONFLICT) !== 0) {
      this.conflictRows++;
      return;
    }
    const firstIsDeactivate = (info & DEACTIVATE_FIRST) !== 0;
    if (firstIsDeactivate === deactivate) {
      slots[base + 3] = (slots[base + 3] ?? 0) + 1;
      return;
    }
    // The other action appears: every row of this key, earlier ones included, becomes a conflict.
    this.conflictRows += (slots[base + 3] ?? 0) + 1;
    this.sendKeys--;
    if (firstIsDeactivate) this.sendDeactivate--;
    else this.sendActivate--;
    slots[base + 2] = info | CONFLICT;
    slots[base + 3] = line;
  }

  /**
   * Whether `line` is the row its user's key sends: the key's first row, with no conflict. The common case of the
   * second pass, answered without building a KeyEntry; lookup() says why not.
   */
  sends(user: string, action: Action, line: number): boolean {
    // A line past MAX_LINE would run into the flag bits (the file grew after the scan): never a first row.
    if (!(line >= 2 && line <= UserKeyTable.MAX_LINE)) return false;
    hashUser(user, this.#lanes);
    const info = this.#slots[this.#find(this.#lanes[0] ?? 0, this.#lanes[1] ?? 0) + 2] ?? 0;
    const expected = action === "deactivate" ? line | DEACTIVATE_FIRST : line;
    // Also false for an empty slot (info 0): data lines start at 2.
    return info === expected;
  }

  /** What the table knows about a user; undefined when no valid row of it was added. */
  lookup(user: string): KeyEntry | undefined {
    hashUser(user, this.#lanes);
    const base = this.#find(this.#lanes[0] ?? 0, this.#lanes[1] ?? 0);
    const info = this.#slots[base + 2] ?? 0;
    if (info === 0) return undefined;
    const firstLine = info & UserKeyTable.MAX_LINE;
    const firstAction: Action = (info & DEACTIVATE_FIRST) !== 0 ? "deactivate" : "activate";
    if ((info & CONFLICT) === 0) return { conflict: false, firstAction, firstLine };
    return { conflict: true, firstAction, firstLine, otherLine: this.#slots[base + 3] ?? 0 };
  }

  /** Base index of the slot holding the current hash, or of the empty slot where it would go. */
  #find(lane1: number, lane2: number): number {
    const slots = this.#slots;
    const capacity = this.#capacity;
    // The hash scaled to [0, capacity): lane1 / 2³² is exact, and the product stays below capacity.
    let slot = Math.floor((lane1 / 2 ** 32) * capacity);
    for (;;) {
      const base = slot * 4;
      if (slots[base + 2] === 0) return base;
      if (slots[base] === lane1 && slots[base + 1] === lane2) return base;
      slot = slot + 1 === capacity ? 0 : slot + 1;
    }
  }

  #grow(): void {
    const old = this.#slots;
    this.#capacity *= 2;
    this.#slots = new Uint32Array(this.#capacity * 4);
    for (let base = 0; base < old.length; base += 4) {
      if (old[base + 2] === 0) continue;
      const lane1 = old[base] ?? 0;
      const lane2 = old[base + 1] ?? 0;
      const target = this.#find(lane1, lane2);
      this.#slots[target] = lane1;
      this.#slots[target + 1] = lane2;
      this.#slots[target + 2] = old[base + 2] ?? 0;
      this.#slots[target + 3] = old[base + 3] ?? 0;
    }
  }
}

export type KeyEntry =
  | { conflict: false; firstAction: Action; firstLine: number }
  | { conflict: true; firstAction: Action; firstLine: number; otherLine: number };

/** 2²¹ slots, 32 MiB: room for 1.5 million keys, a million-row file with room to spare. */
const MAX_PRESIZED_SLOTS = 2 ** 21;
const CONFLICT = 0x80000000;
const DEACTIVATE_FIRST = 0x40000000;
