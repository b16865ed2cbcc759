import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { StrategyDecision } from "../../src/lookup/choose-strategy.js";
import type { DirectoryPage, DirectoryRead, DirectoryReader } from "../../src/lookup/directory-reader.js";
import { lookAlongside } from "../../src/lookup/look-alongside.js";
import { LookupBook } from "../../src/lookup/lookup-book.js";
import { EMPTY_PROTECT_LIST } from "../../src/lookup/protect-list.js";
import type { UserStatus } from "../../src/lookup/user-state.js";
import { NOT_SENT } from "../../src/pacing/not-sent.js";
import type { Pacer } from "../../src/pacing/types.js";
import type { Sender } from "../../src/send/sender.js";
import type { ZoomAnswer } from "../../src/zoom/zoom-client.js";
import { fakeClient, passThroughPacer, testSender } from "../helpers/test-sender.js";
import { httpAnswer } from "../helpers/zoom-answer.js";

const answer = (status: number, body: unknown, zoomCode?: number): ZoomAnswer =>
  httpAnswer(status, body, { zoomCode });

/** Zoom as far as per-user look-ups go: `known` users are found, the rest are 404 code 1001. */
function zoomWith(known: Record<string, { id: string; status: string }>) {
  const asked: string[] = [];
  const client = fakeClient((request) => {
    if (request.method !== "GET" || !request.path.startsWith("/users/")) {
      throw new Error(`only per-user look-ups here, not ${request.method} ${request.path}`);
    }
    const user = decodeURIComponent(request.path.slice("/users/".length));
    asked.push(user);
    const found = known[user];
    return found === undefined
      ? answer(404, { code: 1001, message: "User does not exist" }, 1001)
      : answer(200, { id: found.id, email: user, status: found.status, role_id: "2" });
  });
  const deps = testSender(client);
  return { deps, asked };
}

const page = (...emails: string[]): DirectoryPage => ({
  users: emails.map((email, n) => ({ id: `id-${n}-${email}`, email, status: "active", role: "member" })),
  totalRecords: emails.length,
  nextPageToken: "",
});

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * A directory whose first pages are `first` and whose full read ends when the test says so; a second read of the
 * lists that shrank lists `again` and ends when the test says so too.
 */
function fakeReader(first: DirectoryPage, again: DirectoryPage = page()) {
  const readDone = deferred<DirectoryRead | { failed: string }>();
  const rereadDone = deferred<{ failed: string } | undefined>();
  let keepGoing: (() => boolean) | undefined;
  let probes = 0;
  const rereads: UserStatus[][] = [];
  const reader: DirectoryReader = {
    probe: async (book) => {
      probes += 1;
      if (book !== undefined) {
        for (const user of first.users) book.addFound(user);
        book.pageAdded();
      }
      return { pages: 5, activeUsers: first.totalRecords };
    },
    readAll: async (book, keep) => {
      keepGoing = keep;
      const result = await readDone.promise;
      if (!("failed" in result) && !result.cut) book.markComplete();
      return result;
    },
    reread: async (book, statuses, keep) => {
      keepGoing = keep;
      rereads.push([...statuses]);
      const failed = await rereadDone.promise;
      if (failed !== undefined) return failed;
      for (const user of again.users) book.addFound(user);
      book.pageAdded();
      return { users: again.users.length, pages: 9, cut: false, shrunk: [] };
    },
  };
  return {
    reader,
    readDone,
    rereadDone,
    rereads,
    keepGoing: () => keepGoing?.(),
    probes: () => probes,
  };
}

/** A read's result; each list that shrank lost ten users and takes one page to read again. */
const read = (shrunk: UserStatus[] = [], cut = false): DirectoryRead => ({
  users: 1,
  pages: 5,
  cut,
  shrunk: shrunk.map((status) => ({ status, lost: 10, pages: 1 })),
});

const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
  return done;
};

function start(
  decision: StrategyDecision,
  reader: DirectoryReader,
  deps: Sender,
  worthReadingAgain: (pages: number, lost: number) => boolean = () => true,
) {
  return lookAlongside({
    book: new LookupBook(EMPTY_PROTECT_LIST),
    reader,
    zoom: deps,
    protect: EMPTY_PROTECT_LIST,
    logger: pino({ level: "silent" }),
    decision,
    choose: () => ({ strategy: "directory", reason: "cheaper" }),
    worthReadingAgain,
    activeUsers: undefined,
    needsLicence: true,
  });
}

describe("look-ups alongside the sending", () => {
  it("a user on a first page is decided at once; one not listed yet waits for the read, then is looked up alone", async () => {
    const { reader, readDone, rereads } = fakeReader(page("a@x.example"));
    const { deps, asked } = zoomWith({ "b@x.example": { id: "b1", status: "active" } });
    const planned = start({ strategy: "probe", reason: "size first" }, reader, deps);

    await planned.whenKnown("a@x.example");
    expect(
      planned.decide({ user: "a@x.example", action: "deactivate", transferTo: undefined }),
    ).toStrictEqual({ kind: "send", facts: undefined });
    const waitingB = planned.whenKnown("b@x.example");
    const waitingGhost = planned.whenKnown("ghost@x.example");
    expect(await settled(waitingB)).toBe(false);

    // The read ends without listing them (a page token that skipped them, say): each is asked about alone.
    readDone.resolve(read());
    await Promise.all([waitingB, waitingGhost]);
    expect(asked.sort()).toEqual(["b@x.example", "ghost@x.example"]);
    expect(planned.decide({ user: "b@x.example", action: "deactivate", transferTo: undefined })).toEqual({
      kind: "send",
      facts: { httpStatus: 200 },
    });
    // Not found on Zoom's own word for that user, not on the directory's silence.
    expect(
      planned.decide({ user: "ghost@x.example", action: "deactivate", transferTo: undefined }).kind,
    ).toBe("not_found");
    expect(planned.strategy).toBe("directory");
    // No list lost users while it was read: nothing is read twice.
    expect(rereads).toEqual([]);
    await planned.finish();
  });

  it("a list that shrank while it was read is read once more: a user the first read skipped is listed then, not looked up alone", async () => {
    const { reader, readDone, rereadDone, rereads } = fakeReader(page("a@x.example"), page("b@x.example"));
    const { deps, asked } = zoomWith({ "b@x.example": { id: "b1", status: "active" } });
    const planned = start({ strategy: "probe", reason: "size first" }, reader, deps);
    const waitingB = planned.whenKnown("b@x.example");
    const waitingGhost = planned.whenKnown("ghost@x.example");

    readDone.resolve(read(["active"]));
    // The first read is complete, but the rows keep waiting for the second one rather than asking alone.
    expect(await settled(waitingB)).toBe(false);
    expect(await settled(waitingGhost)).toBe(false);
    expect(rereads).toEqual([["active"]]);
    expect(asked).toEqual([]);

    rereadDone.resolve(undefined);
    await Promise.all([waitingB, waitingGhost]);
    // b was listed by the second read; only the user no list holds is asked about alone.
    expect(asked).toEqual(["ghost@x.example"]);
    expect(planned.decide({ user: "b@x.example", action: "deactivate", transferTo: undefined })).toEqual({
      kind: "send",
    });
    expect(
      planned.decide({ user: "ghost@x.example", action: "deactivate", transferTo: undefined }).kind,
    ).toBe("not_found");
    await planned.finish();
    expect(rereads).toHaveLength(1);
  });

  it("lists that shrank by fewer users than a second read would cost in pages are not read again", async () => {
    const { reader, readDone, rereads } = fakeReader(page("a@x.example"), page("b@x.example"));
    const { deps, asked } = zoomWith({ "b@x.example": { id: "b1", status: "active" } });
    const costs: Array<[number, number]> = [];
    const planned = start(
      { strategy: "directory", reason: "--lookup directory" },
      reader,
      deps,
      (pages, lost) => {
        costs.push([pages, lost]);
        return false;
      },
    );
    const waiting = planned.whenKnown("b@x.example");
    readDone.resolve(read(["active", "inactive"]));
    await waiting;
    // Both lists' pages and losses were weighed together, and the user was asked about alone.
    expect(costs).toEqual([[2, 20]]);
    expect(rereads).toEqual([]);
    expect(asked).toEqual(["b@x.example"]);
    await planned.finish();
  });

  it("a second read that fails: users still not listed are looked up one by one", async () => {
    const { reader, readDone, rereadDone } = fakeReader(page("a@x.example"), page("b@x.example"));
    const { deps, asked } = zoomWith({ "b@x.example": { id: "b1", status: "inactive" } });
    const planned = start({ strategy: "directory", reason: "--lookup directory" }, reader, deps);
    const waiting = planned.whenKnown("b@x.example");
    readDone.resolve(read(["active", "inactive"]));
    expect(await settled(waiting)).toBe(false);
    rereadDone.resolve({ failed: "listing active users: HTTP 500" });
    await waiting;
    expect(asked).toEqual(["b@x.example"]);
    expect(planned.decide({ user: "b@x.example", action: "deactivate", transferTo: undefined }).kind).toBe(
      "already",
    );
    await planned.finish();
  });

  it("a read that finish() cut short (every row decided) is not read again", async () => {
    const { reader, readDone, rereads } = fakeReader(page("a@x.example"));
    const { deps } = zoomWith({});
    const planned = start({ strategy: "directory", reason: "--lookup directory" }, reader, deps);
    const finishing = planned.finish();
    readDone.resolve(read(["active"], true));
    await finishing;
    expect(rereads).toEqual([]);
  });

  it("finish() during the second read stops it before its next page", async () => {
    const { reader, readDone, rereadDone, keepGoing } = fakeReader(page("a@x.example"));
    const { deps } = zoomWith({});
    const planned = start({ strategy: "directory", reason: "--lookup directory" }, reader, deps);
    readDone.resolve(read(["active"]));
    for (let i = 0; i < 10; i += 1) await Promise.resolve();
    expect(keepGoing()).toBe(true);
    const finishing = planned.finish();
    expect(keepGoing()).toBe(false);
    expect(await settled(finishing)).toBe(false);
    rereadDone.resolve(undefined);
    await finishing;
  });

  it("a directory read that fails: users not listed are looked up one by one, and decided from that", async () => {
    const { reader, readDone } = fakeReader(page("a@x.example"));
    const { deps, asked } = zoomWith({ "gone@x.example": { id: "g1", status: "inactive" } });
    const planned = start({ strategy: "directory", reason: "--lookup directory" }, reader, deps);
    const waiting = planned.whenKnown("gone@x.example");
    readDone.resolve({ failed: "listing active users: HTTP 500" });
    await waiting;
    expect(asked).toEqual(["gone@x.example"]);
    expect(planned.decide({ user: "gone@x.example", action: "deactivate", transferTo: undefined }).kind).toBe(
      "already",
    );
    await planned.finish();
  });

  it("per-user: no directory at all, each user looked up when its row comes", async () => {
    const { reader, probes } = fakeReader(page("a@x.example"));
    const { deps, asked } = zoomWith({ "a@x.example": { id: "a1", status: "active" } });
    const planned = start({ strategy: "per-user", reason: "a handful of rows" }, reader, deps);
    await planned.whenKnown("a@x.example");
    expect(probes()).toBe(0);
    expect(asked).toEqual(["a@x.example"]);
    expect(planned.decide({ user: "a@x.example", action: "deactivate", transferTo: undefined })).toEqual({
      kind: "send",
      facts: { httpStatus: 200 },
    });
    await planned.finish();
  });

  it("finish() stops the read before its next page and waits for it to end", async () => {
    const { reader, readDone, keepGoing } = fakeReader(page("a@x.example"));
    const { deps } = zoomWith({});
    const planned = start({ strategy: "directory", reason: "--lookup directory" }, reader, deps);
    // The read has started (a few turns of the microtask queue) and wants more pages.
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
    expect(keepGoing()).toBe(true);
    const finishing = planned.finish();
    expect(keepGoing()).toBe(false);
    expect(await settled(finishing)).toBe(false);
    readDone.resolve(read([], true));
    await finishing;
  });

  it("a stopped run: the look-up of a user not listed is not sent", async () => {
    const { reader, readDone } = fakeReader(page("a@x.example"));
    const { deps, asked } = zoomWith({});
    const halted: Pacer = { ...passThroughPacer(), schedule: async <T>() => NOT_SENT as T | typeof NOT_SENT };
    deps.pacers = { ...deps.pacers, Light: halted };
    const planned = start({ strategy: "directory", reason: "--lookup directory" }, reader, deps);
    const waiting = planned.whenKnown("b@x.example");
    readDone.resolve({ failed: "stopped" });
    await waiting;
    expect(asked).toEqual([]);
    expect(planned.decide({ user: "b@x.example", action: "deactivate", transferTo: undefined }).kind).toBe(
      "unknown",
    );
    await planned.finish();
  });
});
