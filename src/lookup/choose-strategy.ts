/** How live look-ups are made. */
export type LookupStrategy = "per-user" | "directory" | "none";
export type LookupChoice = LookupStrategy | "auto";

export const LOOKUP_CHOICES: readonly LookupChoice[] = ["auto", "per-user", "directory", "none"];

/** Users a directory page holds (GET /users page_size; 300 is Zoom's documented safe maximum). */
export const DIRECTORY_PAGE_SIZE = 300;

export interface StrategyInput {
  /** Distinct users the file would change (after the file's own checks). */
  usersToLookUp: number;
  /** Pages needed for the whole directory (active + inactive + pending), when known. */
  directoryPages: number | undefined;
  /** Light budget per second (per-user GETs, shared with the status changes). */
  lightRps: number;
  /** Medium budget per second (directory pages; a separate budget). */
  mediumRps: number;
}

export type StrategyDecision =
  | { strategy: LookupStrategy; reason: string }
  /** Cannot decide before knowing the directory's size: fetch its first pages, then ask again. */
  | { strategy: "probe"; reason: string };

/**
 * Pick the cheaper look-up, in seconds of rate budget. Per-user GETs cost one Light request each, taken from the
 * same budget as the status changes; the directory costs one Medium request per 300 users, from a budget of its
 * own. Pure.
 */
export function chooseStrategy(input: StrategyInput): StrategyDecision {
  const { usersToLookUp, directoryPages, lightRps, mediumRps } = input;
  if (usersToLookUp === 0) return { strategy: "none", reason: "no row would be sent" };
  const perUserSeconds = usersToLookUp / lightRps;
  // Knowing the directory's size takes its first page of each status: three Medium requests.
  const probeSeconds = 3 / mediumRps;
  if (directoryPages === undefined) {
    if (perUserSeconds <= probeSeconds) {
      return {
        strategy: "per-user",
        reason: `${usersToLookUp} users: per-user look-ups (${fmt(perUserSeconds)} s of Light budget) cost less than reading the directory`,
      };
    }
    return { strategy: "probe", reason: "reading the directory's size to compare" };
  }
  const directorySeconds = directoryPages / mediumRps;
  if (directorySeconds <= perUserSeconds) {
    return {
      strategy: "directory",
      reason: `${directoryPages} directory pages (${fmt(directorySeconds)} s of the separate Medium budget) cost less than ${usersToLookUp} per-user look-ups (${fmt(perUserSeconds)} s of Light budget)`,
    };
  }
  return {
    strategy: "per-user",
    reason: `${usersToLookUp} per-user look-ups (${fmt(perUserSeconds)} s of Light budget) cost less than ${directoryPages} directory pages (${fmt(directorySeconds)} s of Medium budget)`,
  };
}

/**
 * After a directory read made alongside the sending, some lists had lost users while they were paged: is reading
 * them once more cheaper than looking up alone the users they may have skipped? At most `lost` users were skipped
 * (one per user that left a list), each a Light GET; reading again costs `pages` Medium requests. Compared in
 * seconds of budget, as {@link chooseStrategy} does. Pure.
 */
export function worthReadingAgain(input: {
  pages: number;
  lost: number;
  lightRps: number;
  mediumRps: number;
}): boolean {
  return input.pages / input.mediumRps <= input.lost / input.lightRps;
}

function fmt(seconds: number): string {
  return seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(0);
}
