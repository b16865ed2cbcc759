import type { UserStatus } from "../domain/users.js";
import { sendRequest } from "../send/send-request.js";
import type { Sender } from "../send/sender.js";
import { listUsers, type UserPage } from "../zoom/operations/index.js";
import { DIRECTORY_PAGE_SIZE } from "./choose-strategy.js";
import type { LookupBook } from "./lookup-book.js";

export type DirectoryPage = UserPage;

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

export function createDirectoryReader(sender: Sender): DirectoryReader {
  const firstPages = new Map<UserStatus, DirectoryPage>();
  let requests = 0;

  const fetchPage = async (
    status: UserStatus,
    nextPageToken: string | undefined,
  ): Promise<DirectoryPage | string> => {
    const sent = await sendRequest(
      listUsers,
      { status, pageSize: DIRECTORY_PAGE_SIZE, nextPageToken },
      sender,
      {
        lookup: "directory",
        status,
      },
    );
    requests += sent.attempts;
    if (sent.kind === "done") return sent.value;
    const why = sent.kind === "final" ? sent.message : (sent.last.message ?? sent.kind);
    return `listing ${status} users: ${why}`;
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
