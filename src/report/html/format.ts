/** How numbers, times and durations read on the page: the same way wherever the page is opened. */

const integer = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 });

export function formatCount(n: number): string {
  return integer.format(n);
}

export function formatRate(rps: number): string {
  return `${oneDecimal.format(rps)}/s`;
}

export function formatMs(ms: number): string {
  if (ms < 10) return `${oneDecimal.format(ms)} ms`;
  if (ms < 1000) return `${integer.format(ms)} ms`;
  return `${oneDecimal.format(ms / 1000)} s`;
}

/** "2 h 05 min", "3 min 12 s", "4.2 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "–";
  if (ms < 60_000) return `${oneDecimal.format(ms / 1000)} s`;
  const seconds = Math.round(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, "0")} min`;
  return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
}

/** UTC, to the second: reports travel between time zones, and the CSV's times are UTC too. */
export function formatTime(date: Date): string {
  if (Number.isNaN(date.getTime())) return "–";
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "1 row" / "3 rows". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
