export const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `predicate` holds; throws, saying what was awaited, if it does not within `timeoutMs`. */
export async function until(
  predicate: () => boolean,
  what: string,
  timeoutMs = 10_000,
  everyMs = 5,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() >= end) throw new Error(`waited ${timeoutMs} ms, and still not: ${what}`);
    await wait(everyMs);
  }
}
