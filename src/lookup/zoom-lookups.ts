import type { RateLimiter } from "../batch/rate-limiter.js";
import { type Interpretation, interpretVerdict, type RetryDeps, withRetries } from "../batch/with-retries.js";
import { isRecord } from "../zoom/answer.js";
import { classifyLookupAnswer, type LookupVerdict, roleOf } from "../zoom/classify.js";
import type { ZoomAnswer, ZoomClient } from "../zoom/zoom-client.js";
import { DIRECTORY_PAGE_SIZE } from "./choose-strategy.js";
import type { LookupBook } from "./lookup-book.js";
import type { UserRole, UserStatus } from "./user-state.js";

export interface LookupDeps {
  client: ZoomClient;
  /** GET /users/{id} is a Light request: it shares the status changes' limiter. */
  lightLimiter: RateLimiter;
  /** GET /users is a Medium request, a budget of its own. */
  mediumLimiter: RateLimiter;
  retry: Omit<RetryDeps, "limiter">;
  now: () => Date;
  /** Counts read requests, for the summary. */
  onRequest?: () => void;
}

type Found = Extract<LookupVerdict, { kind: "found" }>;
type Looked = Found | { kind: "not_found"; message: string } | { kind: "failed"; message: string };

/** A look-up answer in the retry loop's terms. Pure. */
export function interpretLookup(verdict: LookupVerdict): Interpretation<Looked> {
  if (verdict.kind === "found" || verdict.kind === "not_found") return { kind: "done", value: verdict };
  return interpretVerdict(verdict, (final): Looked => ({ kind: "failed", message: final.message }));
}

/** Look one user up (Light) and write what Zoom said into the book. */
export async function lookUpUser(user: string, book: LookupBook, deps: LookupDeps): Promise<void> {
  const result = await withRetries(
    (onWire) => {
      deps.onRequest?.();
      return deps.client.getUser(user, onWire);
    },
    (answer) => interpretLookup(classifyLookupAnswer(answer, deps.now())),
    { ...deps.retry, limiter: deps.lightLimiter },
    { user, lookup: "per-user" },
  );
  // The report shows this answer for a row the look-up decides (not found, protected, already).
  const { httpStatus, zoomCode, trackingId } = result.last;
  const facts =
    httpStatus === undefined && trackingId === undefined ? undefined : { httpStatus, zoomCode, trackingId };
  if (result.kind !== "done") {
    // Stopped or out of attempts: unknown, so a real run lets the status change decide.
    book.addUnknown(user, `look-up failed: ${result.last.message ?? result.kind}`, facts);
    return;
  }
  const looked = result.value;
  if (looked.kind === "found") {
    // Under Zoom's identifiers, and under the row's own value too: the file may spell an email in another case,
    // and a pending user has no id.
    book.addFound(looked, user, facts);
  } else if (looked.kind === "not_found") {
    book.addNotFound(user, looked.message, facts);
  } else {
    book.addUnknown(user, `look-up failed: ${looked.message}`, facts);
  }
}

export interface DirectoryPage {
  users: Array<{ id?: string; email?: string; status: UserStatus; role: UserRole }>;
  totalRecords: number;
  nextPageToken: string;
}

const STATUSES: readonly UserStatus[] = ["active", "inactive", "pending"];

/**
 * Pages through GET /users for each status (the list defaults to active users only, so all three are asked for).
 * The first page of each tells the directory's size, which the strategy choice needs before reading the rest.
 */
export interface DirectoryReader {
  /**
   * Read the first page of each status; returns the pages the whole directory needs and the active count. Given a
   * book, each page goes into it as soon as it comes (rows waiting for those users can go).
   */
  probe(book?: LookupBook): Promise<{ pages: number; activeUsers: number } | { failed: string }>;
  /**
   * Read everything (reusing the probed first pages) into the book, page by page. `keepGoing` is asked before each
   * further page: a run whose rows were all decided while the directory was still being read stops reading.
   * `shrunk` holds the lists that lost users while they were paged (fewer listed than their first page counted):
   * with page tokens that count positions, that many of their users may have been skipped.
   */
  readAll(book: LookupBook, keepGoing?: () => boolean): Promise<DirectoryRead | { failed: string }>;
  /** Read the lists of these statuses again from their first page (new tokens), page by page into the book. */
  reread(
    book: LookupBook,
    statuses: readonly UserStatus[],
    keepGoing?: () => boolean,
  ): Promise<DirectoryRead | { failed: string }>;
}

export interface DirectoryRead {
  users: number;
  /** Requests made by this reader so far (all reads and retries). */
  pages: number;
  cut: boolean;
  shrunk: ShrunkList[];
}

/** A list that lost users while it was paged. */
export interface ShrunkList {
  status: UserStatus;
  /** How many fewer users it listed than its first page counted: at most this many were skipped. */
  lost: number;
  /** Pages a second read takes, by the first page's count. */
  pages: number;
}

export function createDirectoryReader(deps: LookupDeps): DirectoryReader {
  const firstPages = new Map<UserStatus, DirectoryPage>();
  let requests = 0;

  const fetchPage = async (
    status: UserStatus,
    nextPageToken: string | undefined,
  ): Promise<DirectoryPage | string> => {
    const result = await withRetries(
      (onWire) => {
        requests += 1;
        deps.onRequest?.();
        return deps.client.listUsers({ status, pageSize: DIRECTORY_PAGE_SIZE, nextPageToken }, onWire);
      },
      (answer) => interpretListAnswer(answer, deps.now()),
      { ...deps.retry, limiter: deps.mediumLimiter },
      { lookup: "directory", status },
    );
    if (result.kind === "done") return result.value;
    return `listing ${status} users: ${result.last.message ?? result.kind}`;
  };

  const addPage = (book: LookupBook, page: DirectoryPage): void => {
    for (const user of page.users) book.addFound(user);
    book.pageAdded();
  };

  const probe: DirectoryReader["probe"] = async (book) => {
    const pages = await Promise.all(
      STATUSES.map(async (status) => {
        const page = await fetchPage(status, undefined);
        if (book !== undefined && typeof page !== "string") addPage(book, page);
        return page;
      }),
    );
    let total = 0;
    for (const [index, page] of pages.entries()) {
      if (typeof page === "string") return { failed: page };
      const status = STATUSES[index] ?? "active";
      firstPages.set(status, page);
      total += Math.max(1, Math.ceil(page.totalRecords / DIRECTORY_PAGE_SIZE));
    }
    return { pages: total, activeUsers: firstPages.get("active")?.totalRecords ?? 0 };
  };

  /** Page one status's list into the book from `first` on. */
  const readList = async (
    book: LookupBook,
    status: UserStatus,
    first: DirectoryPage | string,
    keepGoing: () => boolean,
  ): Promise<{ users: number; cut: boolean } | { failed: string }> => {
    let users = 0;
    let page: DirectoryPage | string | undefined = first;
    while (page !== undefined) {
      if (typeof page === "string") return { failed: page };
      addPage(book, page);
      users += page.users.length;
      if (page.nextPageToken !== "" && !keepGoing()) return { users, cut: true };
      page = page.nextPageToken === "" ? undefined : await fetchPage(status, page.nextPageToken);
    }
    return { users, cut: false };
  };

  /** Read several lists side by side; each starts from `first(status)`. */
  const readLists = async (
    book: LookupBook,
    statuses: readonly UserStatus[],
    first: (status: UserStatus) => Promise<DirectoryPage | string>,
    keepGoing: () => boolean,
  ): Promise<DirectoryRead | { failed: string }> => {
    const lists = await Promise.all(
      statuses.map(async (status) => {
        const firstPage = await first(status);
        const read = await readList(book, status, firstPage, keepGoing);
        const counted = typeof firstPage === "string" ? 0 : firstPage.totalRecords;
        const lost = "users" in read && !read.cut ? counted - read.users : 0;
        return { status, read, lost, pages: Math.ceil(counted / DIRECTORY_PAGE_SIZE) };
      }),
    );
    let users = 0;
    let cut = false;
    for (const { read } of lists) {
      if ("failed" in read) return read;
      users += read.users;
      cut ||= read.cut;
    }
    const shrunk = lists
      .filter((list) => list.lost > 0)
      .map(({ status, lost, pages }) => ({ status, lost, pages }));
    return { users, pages: requests, cut, shrunk };
  };

  return {
    probe,
    async readAll(book, keepGoing = () => true) {
      if (firstPages.size < STATUSES.length) {
        const probed = await probe();
        if ("failed" in probed) return probed;
      }
      const read = await readLists(
        book,
        STATUSES,
        async (status) => firstPages.get(status) ?? `listing ${status} users: no first page`,
        keepGoing,
      );
      if ("failed" in read) return read;
      book.activeUsers = firstPages.get("active")?.totalRecords;
      // Cut short, the book is not complete: a user it does not hold is unknown, not missing.
      if (!read.cut) book.markComplete();
      return read;
    },
    async reread(book, statuses, keepGoing = () => true) {
      return readLists(book, statuses, (status) => fetchPage(status, undefined), keepGoing);
    },
  };
}

/** A directory page in the retry loop's terms: 2xx is read as a page; everything else as for a look-up. Pure. */
export function interpretListAnswer(answer: ZoomAnswer, now: Date): Interpretation<DirectoryPage> {
  if (answer.kind === "http" && answer.status >= 200 && answer.status <= 299) {
    const page = readPage(answer.body);
    if (page !== undefined) return { kind: "done", value: page };
    return { kind: "retry", retryAfterMs: undefined, pauseAll: false };
  }
  const meaning = interpretLookup(classifyLookupAnswer(answer, now));
  if (meaning.kind === "done" || meaning.kind === "stop_run") {
    // A refused listing (a missing scope, say) cannot be retried into working.
    return { kind: "retry", retryAfterMs: undefined, pauseAll: false };
  }
  return meaning;
}

function readPage(body: unknown): DirectoryPage | undefined {
  if (!isRecord(body) || !Array.isArray(body.users)) return undefined;
  const users: DirectoryPage["users"] = [];
  for (const entry of body.users) {
    if (!isRecord(entry)) continue;
    const status = entry.status;
    if (status !== "active" && status !== "inactive" && status !== "pending") continue;
    const user: DirectoryPage["users"][number] = { status, role: roleOf(entry) };
    if (typeof entry.id === "string" && entry.id !== "") user.id = entry.id;
    if (typeof entry.email === "string" && entry.email !== "") user.email = entry.email;
    users.push(user);
  }
  return {
    users,
    totalRecords: typeof body.total_records === "number" ? body.total_records : users.length,
    nextPageToken: typeof body.next_page_token === "string" ? body.next_page_token : "",
  };
}
