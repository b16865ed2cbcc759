/**
 * Who a user value names. Zoom users are named by ID or by email; the same person under both cannot be matched
 * without a look-up, so they are two users here.
 */

/** A Zoom user's status: `inactive` is deactivated; `pending` has not accepted the invitation yet. */
export type UserStatus = "active" | "inactive" | "pending";
/** The roles this tool tells apart; Zoom refuses to change owners, admins and Zoom Rooms, and so do we. */
export type UserRole = "owner" | "admin" | "member" | "room";

/**
 * Key for duplicate/conflict detection. Emails compare case-insensitively, IDs case-sensitively, and
 * an ID never equals an email: the same person under both cannot be matched without a look-up.
 */
export function userKey(user: string): string {
  return user.includes("@") ? `e:${user.toLowerCase()}` : `i:${user}`;
}

// cyrb53's constants (public domain, bryc): per-lane multipliers and the final avalanche.
const SEED1 = 0xdeadbeef;
const SEED2 = 0x41c6ce57;
const M1 = 2654435761;
const M2 = 1597334677;

function finish(a: number, b: number): number {
  let h = Math.imul(a ^ (a >>> 16), 2246822507);
  h ^= Math.imul(b ^ (b >>> 13), 3266489909);
  return h;
}

/**
 * Hashes the characters of userKey(user) ("e:" + lower-cased email, or "i:" + id) into `out` without building that
 * string. ASCII emails are lower-cased on the fly; others go through toLowerCase() so that the result is exactly
 * hashKeyString(userKey(user)) (test/input/user-key-table.test.ts checks the equivalence).
 */
export function hashUser(user: string, out: Uint32Array): void {
  const email = user.includes("@");
  const h1 = Math.imul(Math.imul(SEED1 ^ (email ? 101 : 105), M1) ^ 58, M1); // "e:" or "i:"
  const h2 = Math.imul(Math.imul(SEED2 ^ (email ? 101 : 105), M2) ^ 58, M2);
  // One pass: an ASCII email is lower-cased on the fly; the first non-ASCII character starts over on toLowerCase().
  if (!hashChars(user, email, h1, h2, out)) hashChars(user.toLowerCase(), false, h1, h2, out);
}

/** Hashes `text` on from the lanes h1, h2 into `out`; false (and `out` untouched) if `fold` meets non-ASCII. */
function hashChars(text: string, fold: boolean, h1: number, h2: number, out: Uint32Array): boolean {
  let lane1 = h1;
  let lane2 = h2;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (fold) {
      if (code >= 128) return false;
      if (code >= 65 && code <= 90) code += 32;
    }
    lane1 = Math.imul(lane1 ^ code, M1);
    lane2 = Math.imul(lane2 ^ code, M2);
  }
  const first = finish(lane1, lane2) >>> 0;
  out[0] = first;
  out[1] = finish(lane2, first) >>> 0;
  return true;
}

/** Reference hash of a key string, for tests: the table must hash userKey(user) exactly like this. */
export function hashKeyString(key: string): [number, number] {
  let h1 = SEED1;
  let h2 = SEED2;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, M1);
    h2 = Math.imul(h2 ^ code, M2);
  }
  const lane1 = finish(h1, h2) >>> 0;
  return [lane1, finish(h2, lane1) >>> 0];
}
