/** The delimiters an input may use; detected from the header line. */
export type Delimiter = "," | ";" | "\t";

/** Tie-break order: a header with as many `;` as `,` is most likely a plain comma file with a `;` in a name. */
const CANDIDATES: readonly Delimiter[] = [",", ";", "\t"];

const QUOTE = 34; // "
const LF = 10;
const BOM = "\uFEFF";

/**
 * Picks the delimiter of the header line: the candidate that occurs most often outside quotes, `,` when none does.
 * `text` is the start of the file (one read chunk is plenty). Leading lines that the reader treats as blank
 * (only whitespace, quotes and delimiters) are passed over, because the header is the first non-blank record.
 */
export function detectDelimiter(text: string): Delimiter {
  const counts = [0, 0, 0];
  let inQuotes = false;
  let hasContent = false;
  const start = text.startsWith(BOM) ? 1 : 0;
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      inQuotes = !inQuotes;
      continue;
    }
    if (inQuotes) {
      hasContent = true;
      continue;
    }
    if (code === LF) {
      if (hasContent) break;
      counts.fill(0);
      continue;
    }
    const candidate = CANDIDATES.indexOf(text[i] as Delimiter);
    if (candidate >= 0) counts[candidate] = (counts[candidate] ?? 0) + 1;
    else if (!isWhitespace(code)) hasContent = true;
  }
  let best = 0;
  for (let c = 1; c < CANDIDATES.length; c++) {
    if ((counts[c] ?? 0) > (counts[best] ?? 0)) best = c;
  }
  return CANDIDATES[best] ?? ",";
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 13 || code === 9 || code === 11 || code === 12 || code === 0xa0;
}
