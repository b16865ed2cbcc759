import { OffboardError } from "../domain/errors.js";
import { userProblem } from "../input/check-row.js";
import { TRANSFER_ITEM_NAMES, TRANSFER_ITEMS, type TransferItem } from "../zoom/operations/index.js";

/** `--transfer-to`: a user ID or email, checked like a row's user. */
export function transferTarget(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const target = value.trim();
  const problem = userProblem(target);
  if (problem !== undefined) throw new OffboardError("USAGE", `\`--transfer-to ${value}\`: ${problem}`);
  return target;
}

/** Plural spellings people use for what Zoom calls by singular names. */
const ITEM_SPELLINGS: Readonly<Record<string, TransferItem>> = {
  meetings: "meeting",
  webinars: "webinar",
  recordings: "recording",
  whiteboards: "whiteboard",
  clips: "clipfiles",
  note: "notes",
  doc: "docs",
  visitor: "visitors",
};

/** `--transfer meetings,recordings`: what moves to a removed user's transfer target; all of it by default. */
export function transferItems(value: string | undefined): TransferItem[] {
  if (value === undefined || value.trim().toLowerCase() === "all") return [...TRANSFER_ITEMS];
  const items = new Set<TransferItem>();
  for (const raw of value.split(",")) {
    const name = raw.trim().toLowerCase();
    if (name === "") continue;
    const item = (TRANSFER_ITEMS as readonly string[]).includes(name)
      ? (name as TransferItem)
      : ITEM_SPELLINGS[name];
    if (item === undefined) {
      throw new OffboardError(
        "USAGE",
        `Expected \`--transfer\` to list some of ${Object.values(TRANSFER_ITEM_NAMES).join(", ")} (or all), got \`${raw.trim()}\``,
      );
    }
    items.add(item);
  }
  if (items.size === 0)
    throw new OffboardError("USAGE", "`--transfer` lists nothing: name what moves, or pass --no-transfer");
  return TRANSFER_ITEMS.filter((item) => items.has(item));
}
