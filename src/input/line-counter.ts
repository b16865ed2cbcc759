/**
 * Lines a record consumed, from csv-parse's `raw` text (`raw: true`, CRLF or LF). Not `info.lines`: that is where
 * a record ends, and it counts a CRLF inside a quoted field twice. A CRLF record's raw text ends with its "\r"
 * and drops the "\n" (pinned by test/input/line-counter.test.ts), so: its "\n"s, plus one for a final "\r".
 */
export function linesConsumed(raw: string): number {
  let lines = raw.length > 0 && raw.charCodeAt(raw.length - 1) === 13 ? 1 : 0;
  let at = raw.indexOf("\n");
  while (at !== -1) {
    lines++;
    at = raw.indexOf("\n", at + 1);
  }
  return lines;
}
