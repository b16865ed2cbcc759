/**
 * What a person at a terminal reads of a log line: one short sentence with the numbers that matter. The JSON lines
 * that schedulers keep carry every detail; at `--log-level debug` the terminal shows them too.
 */
type LogFields = Record<string, unknown>;

const num = (value: unknown): string => (typeof value === "number" ? String(value) : "?");

/** Counts that are worth a word only when there are any. */
function some(parts: Array<[unknown, string]>): string {
  return parts
    .filter(([count]) => typeof count === "number" && count > 0)
    .map(([count, what]) => `${num(count)} ${what}`)
    .join(", ");
}

const LINES: Record<string, (log: LogFields) => string> = {
  "input checked": (log) => {
    const rest = some([
      [log.invalid, "invalid"],
      [log.duplicate, "duplicate"],
      [log.conflict, "in conflict"],
    ]);
    return `input checked: ${num(log.rows)} rows, ${num(log.toDeactivate)} to deactivate, ${num(log.toActivate)} to activate${rest === "" ? "" : `; ${rest}`}`;
  },
  "pacing Light requests": (log) =>
    `pacing Light requests at ${num(log.pacedRps)}/s (${String(log.tier)} plan, limit ${num(log.rpsLimit)}/s${log.sharedThroughRedis === true ? ", shared through Redis" : ""})`,
  "look-up strategy": (log) =>
    log.lookup === "directory"
      ? "looking users up in the directory (Medium budget)"
      : log.lookup === "per-user"
        ? "looking users up one by one (Light budget)"
        : "no look-ups: Zoom's answers decide",
  "directory read": (log) => `directory read: ${num(log.users)} users in ${num(log.requests)} requests`,
  "lists read again": (log) => `lists read again: ${num(log.users)} users`,
  "changes planned": (log) =>
    `planned: ${num(log.deactivate)} to deactivate, ${num(log.activate)} to activate`,
  "preview planned": (log) =>
    `preview: ${num(log.deactivate)} would be deactivated, ${num(log.activate)} activated`,
  "Light pace changed": (log) =>
    `Light pace ${num(log.fromRps)}/s → ${num(log.toRps)}/s: ${String(log.reason)}`,
};

/** The sentence for one log line (pino's object); messages without a rule of their own are shown as written. */
export function terminalLine(log: LogFields): string {
  const message = typeof log.msg === "string" ? log.msg : "";
  const line = LINES[message];
  return line === undefined ? message : line(log);
}
