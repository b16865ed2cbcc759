import type { SimDataKind, SimUser, SimUserData, SimUserRecord, SimUserType } from "./types.js";

export const DATA_KINDS: readonly SimDataKind[] = [
  "meetings",
  "webinars",
  "recordings",
  "whiteboards",
  "clipfiles",
  "notes",
  "docs",
  "visitors",
];

/** The DELETE query flag for each kind: Zoom's names are singular for the first four (`transfer_meeting`). */
export const TRANSFER_FLAGS: Readonly<Record<SimDataKind, string>> = {
  meetings: "transfer_meeting",
  webinars: "transfer_webinar",
  recordings: "transfer_recording",
  whiteboards: "transfer_whiteboard",
  clipfiles: "transfer_clipfiles",
  notes: "transfer_notes",
  docs: "transfer_docs",
  visitors: "transfer_visitors",
};

export const USER_TYPES: readonly SimUserType[] = [1, 2, 4];

export function emptyData(): SimUserData {
  return Object.fromEntries(DATA_KINDS.map((kind) => [kind, 0])) as SimUserData;
}

/** Deactivation removes a user's licences in Zoom, so a directory's deactivated users start as Basic. */
export function defaultType(status: SimUser["status"]): SimUserType {
  return status === "inactive" ? 1 : 2;
}

export function completeUser(user: SimUser): SimUserRecord {
  return { ...user, type: user.type ?? defaultType(user.status), data: { ...emptyData(), ...user.data } };
}

/** Throws for a count that is not a non-negative integer, so a bad seed cannot make transfers look lossless. */
export function checkData(data: Partial<SimUserData> | undefined, where: string): void {
  for (const [kind, count] of Object.entries(data ?? {})) {
    if (!(DATA_KINDS as readonly string[]).includes(kind)) {
      throw new RangeError(`${where}: unknown data kind \`${kind}\` (expected ${DATA_KINDS.join(", ")})`);
    }
    if (count !== undefined && !(Number.isInteger(count) && count >= 0)) {
      throw new RangeError(`${where}: expected \`${kind}\` to be an integer >= 0, got \`${String(count)}\``);
    }
  }
}
