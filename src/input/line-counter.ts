/**
 * Lines a record consumed, given csv-parse's `raw` text for it (options `raw: true`,
 * `record_delimiter: ["\r\n", "\n"]`).
 *
 * Why not `info.lines`: it is the line where a record ENDS, and it counts a CRLF inside a quoted field twice.
 * A report names the line where a record STARTS, counting "\n" (CRLF once).
 *
 * What csv-parse puts in `raw` (pinned by test/input/line-counter.test.ts): an LF-terminated record ends with its
 * "\n"; a CRLF-terminated record ends with the "\r" and the "\n" is dropped. So the lines consumed are the "\n"s in
 * the raw text plus one when it ends with "\r". A lone "\r" at the very end of the file is counted too, harmlessly:
 * nothing starts after it.
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
