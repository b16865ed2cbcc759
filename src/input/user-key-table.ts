import { ACTIONS, type Action, REMOVALS } from "../domain/actions.js";
import { hashUser } from "../domain/users.js";
import { type RowRole, resolveUserRows, type UserRow } from "./user-rows.js";

/**
 * Every user key of a file and what its rows ask, kept as a 64-bit hash instead of the key string, so memory
 * stays small per key (docs/NOTES-PERFORMANCE.md). A collision (odds ~n²/2⁶⁵) can only make a row look like a
 * duplicate or conflict: "not sent, reported", never a change to the wrong user. A user with several rows keeps
 * them in a small map beside the table, resolved once the whole file is read (user-rows.ts).
 */
export class UserKeyTable {
  /** Lines must fit in 30 bits; a CSV with a billion lines is not an HR export. */
  static readonly MAX_LINE = 0x3fffffff;

  /**
   * Four uint32 per slot: hash lanes 1 and 2, the first row's line (0 marks an empty slot: data rows start at
   * line 2), and that row's action (its index in ACTIONS) or MULTI.
   */
  #slots: Uint32Array;
  /** Slots; any number (not only powers of two), so that a table sized from an estimate is no bigger than needed. */
  #capacity: number;
  #size = 0;
  /** Scratch output of hashUser: two numbers without allocating a tuple per row. */
  readonly #lanes = new Uint32Array(2);
  /** The moment of the first row seen; every slot's, until a row with another one comes. */
  #commonDueAt: number | undefined;
  /** Each slot's first row's moment, once rows differ in it. */
  #dueAt: Float64Array | undefined;
  /** Users with several rows, by hash: their rows while the file is read, then what becomes of each. */
  readonly #multi = new Map<string, { rows: UserRow[]; roles?: Map<number, RowRole> }>();
  #finished = false;

  /** Rows added (valid rows only: the caller checks first). */
  validRows = 0;
  /** Rows sent, by action. */
  readonly sends: Record<Action, number> = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<
    Action,
    number
  >;
  duplicateRows = 0;
  conflictRows = 0;
  supersededRows = 0;

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
    return this.#slots.byteLength + (this.#dueAt?.byteLength ?? 0);
  }

  /** Rows sent, all actions together. */
  get sendRows(): number {
    return ACTIONS.reduce((sum, action) => sum + this.sends[action], 0);
  }

  /**
   * Records a valid row that is due, taking effect at `dueAt` (epoch ms). Rows must come in file order (lines
   * increasing), all before `finish()`.
   */
  add(user: string, action: Action, line: number, dueAt = 0): void {
    if (!(line >= 2 && line <= UserKeyTable.MAX_LINE)) throw new RangeError(`line ${line} out of range`);
    this.validRows++;
    hashUser(user, this.#lanes);
    const lane1 = this.#lanes[0] ?? 0;
    const lane2 = this.#lanes[1] ?? 0;
    let base = this.#find(lane1, lane2);
    const slots = this.#slots;
    const firstLine = slots[base + 2] ?? 0;
    if (firstLine === 0) {
      if ((this.#size + 1) * 4 > this.#capacity * 3) {
        this.#grow();
        base = this.#find(lane1, lane2);
      }
      this.#size++;
      this.sends[action]++;
      this.#slots[base] = lane1;
      this.#slots[base + 1] = lane2;
      this.#slots[base + 2] = line;
      this.#slots[base + 3] = ACTIONS.indexOf(action);
      this.#setDueAt(base / 4, dueAt);
      return;
    }
    const key = `${lane1}:${lane2}`;
    const code = slots[base + 3] ?? 0;
    if (code !== MULTI) {
      // A second row: the first one's count moves to the decision made once the whole file is read.
      const firstAction = ACTIONS[code] ?? action;
      this.sends[firstAction]--;
      const firstDueAt = this.#dueAt?.[base / 4] ?? this.#commonDueAt ?? dueAt;
      this.#multi.set(key, { rows: [{ line: firstLine, action: firstAction, dueAt: firstDueAt }] });
      slots[base + 3] = MULTI;
    }
    this.#multi.get(key)?.rows.push({ line, action, dueAt });
  }

  #setDueAt(slot: number, dueAt: number): void {
    if (this.#commonDueAt === undefined) this.#commonDueAt = dueAt;
    if (this.#dueAt === undefined) {
      if (dueAt === this.#commonDueAt) return;
      this.#dueAt = new Float64Array(this.#capacity).fill(this.#commonDueAt);
    }
    this.#dueAt[slot] = dueAt;
  }

  /** The whole file is read: decide the rows of users with several, and count them. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    for (const entry of this.#multi.values()) {
      entry.roles = resolveUserRows(entry.rows);
      for (const row of entry.rows) {
        const role = entry.roles.get(row.line);
        if (role?.kind === "send") this.sends[row.action]++;
        else if (role?.kind === "duplicate") this.duplicateRows++;
        else if (role?.kind === "superseded") this.supersededRows++;
        else this.conflictRows++;
      }
    }
  }

  /**
   * What becomes of the row at `line` asking `action` for `user`: sent (once the user's earlier steps are decided),
   * a duplicate, or a conflict; undefined when the table never saw that row (the file changed since it was read).
   */
  roleOf(user: string, action: Action, line: number): RowRole | undefined {
    hashUser(user, this.#lanes);
    const lane1 = this.#lanes[0] ?? 0;
    const lane2 = this.#lanes[1] ?? 0;
    const base = this.#find(lane1, lane2);
    const firstLine = this.#slots[base + 2] ?? 0;
    if (firstLine === 0) return undefined;
    const code = this.#slots[base + 3] ?? 0;
    if (code !== MULTI) return firstLine === line && ACTIONS[code] === action ? SOLE : undefined;
    const role = this.#multi.get(`${lane1}:${lane2}`)?.roles?.get(line);
    return role;
  }

  /** Whether the file removes `user` (deletes or disassociates them, in a row that is sent). */
  removes(user: string): boolean {
    hashUser(user, this.#lanes);
    const lane1 = this.#lanes[0] ?? 0;
    const lane2 = this.#lanes[1] ?? 0;
    const base = this.#find(lane1, lane2);
    if ((this.#slots[base + 2] ?? 0) === 0) return false;
    const code = this.#slots[base + 3] ?? 0;
    if (code !== MULTI) return REMOVALS.has(ACTIONS[code] ?? "signout");
    const entry = this.#multi.get(`${lane1}:${lane2}`);
    return (
      entry?.rows.some((row) => REMOVALS.has(row.action) && entry.roles?.get(row.line)?.kind === "send") ===
      true
    );
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
    const oldDueAt = this.#dueAt;
    this.#capacity *= 2;
    this.#slots = new Uint32Array(this.#capacity * 4);
    if (oldDueAt !== undefined) this.#dueAt = new Float64Array(this.#capacity);
    for (let base = 0; base < old.length; base += 4) {
      if (old[base + 2] === 0) continue;
      const lane1 = old[base] ?? 0;
      const lane2 = old[base + 1] ?? 0;
      const target = this.#find(lane1, lane2);
      this.#slots[target] = lane1;
      this.#slots[target + 1] = lane2;
      this.#slots[target + 2] = old[base + 2] ?? 0;
      this.#slots[target + 3] = old[base + 3] ?? 0;
      if (oldDueAt !== undefined && this.#dueAt !== undefined) {
        this.#dueAt[target / 4] = oldDueAt[base / 4] ?? 0;
      }
    }
  }
}

/** The role of a user's only row. */
const SOLE: RowRole = { kind: "send", after: [], sequenced: false };
/** Slot word 3 of a user with several rows. */
const MULTI = 0xffffffff;
/** 2²¹ slots, 32 MiB: room for 1.5 million keys, a million-row file with room to spare. */
const MAX_PRESIZED_SLOTS = 2 ** 21;
