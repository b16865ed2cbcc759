import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { freeDefaultReportPath } from "../../src/report/default-path.js";
import {
  acquireRunLock,
  judgeLock,
  type LockHost,
  type LockOwner,
  lockPaths,
  parseLockOwner,
} from "../../src/resume/run-lock.js";
import { tempDir } from "../helpers/cleanup.js";

const owner: LockOwner = {
  pid: 100,
  started_at: "2026-01-01T02:15:00.000Z",
  host: "batch1",
  boot_id: "boot-a",
  input: "/srv/hr/leavers.csv",
  report_dir: "reports",
};
const alive = () => true;
const dead = () => false;

describe("judgeLock", () => {
  it.each<
    [string, LockOwner | undefined, { host: string; bootId: string | null }, (pid: number) => boolean, string]
  >([
    ["live process on this host", owner, { host: "batch1", bootId: "boot-a" }, alive, "busy"],
    ["dead process on this host", owner, { host: "batch1", bootId: "boot-a" }, dead, "stale"],
    [
      "pid from before a reboot (pid reused since)",
      owner,
      { host: "batch1", bootId: "boot-b" },
      alive,
      "stale",
    ],
    ["no boot id to compare", owner, { host: "batch1", bootId: null }, alive, "busy"],
    ["another host: cannot tell", owner, { host: "batch2", bootId: "boot-a" }, dead, "busy"],
    ["unreadable content", undefined, { host: "batch1", bootId: "boot-a" }, alive, "stale"],
  ])("%s → %s", (_name, found, self, isAlive, kind) => {
    expect(judgeLock(found, { ...self, isAlive }).kind).toBe(kind);
  });

  it.each([["{"], ["null"], ['{"pid":"1","host":"x"}'], [""]])("unparseable lock %j", (text) => {
    expect(parseLockOwner(text)).toBeUndefined();
  });
});

describe("lockPaths", () => {
  it("keys the input lock by the real path, so two report directories still collide", () => {
    const a = lockPaths("reports", "/srv/hr/leavers.csv", "/tmp");
    const b = lockPaths("/elsewhere", "/srv/hr/leavers.csv", "/tmp");
    expect(a[0]).toBe(join("reports", ".zoom-offboard.lock"));
    expect(a[1]).toBe(b[1]);
    expect(lockPaths("reports", "/srv/hr/other.csv", "/tmp")[1]).not.toBe(a[1]);
    expect(lockPaths("reports", undefined, "/tmp")).toHaveLength(1);
  });
});

describe("acquireRunLock", () => {
  const warnings: string[] = [];
  const logger = pino({ level: "warn" }, { write: (line: string) => warnings.push(line) });
  const host = (pid: number, isAlive: (pid: number) => boolean): LockHost => ({
    pid,
    host: "batch1",
    bootId: "boot-a",
    now: () => new Date("2026-01-01T02:15:00.000Z"),
    isAlive,
    logger,
  });
  const setup = () => {
    const dir = tempDir("zo-lock-");
    return { dir, paths: [join(dir, "reports", ".zoom-offboard.lock"), join(dir, "input.lock")] };
  };
  const what = { input: "/srv/hr/leavers.csv", reportDir: "reports" };

  it("refuses a second run while the first holds it, naming pid and start time, and frees on release", () => {
    const { paths } = setup();
    const first = acquireRunLock(paths, what, host(100, alive));
    expect(() => acquireRunLock(paths, what, host(200, alive))).toThrow(
      expect.objectContaining({
        code: "RUN_LOCKED",
        message: expect.stringMatching(/pid 100 on batch1, started 2026-01-01T02:15:00\.000Z/),
      }),
    );
    first.release();
    first.release(); // idempotent
    expect(paths.filter((path) => existsSync(path))).toEqual([]);
    acquireRunLock(paths, what, host(200, alive)).release();
  });

  it("holds none of the locks when one of them is busy", () => {
    const { paths } = setup();
    const [reportLock, inputLock] = paths as [string, string];
    const other = acquireRunLock([inputLock], what, host(100, alive));
    expect(() => acquireRunLock(paths, what, host(200, alive))).toThrow(/pid 100/);
    expect(existsSync(reportLock)).toBe(false);
    other.release();
  });

  it("takes over a lock whose process died, with a warning", () => {
    const { paths } = setup();
    acquireRunLock(paths, what, host(100, alive)); // never released: killed
    warnings.length = 0;
    const second = acquireRunLock(
      paths,
      what,
      host(200, (pid) => pid !== 100),
    );
    expect(warnings.join("")).toContain("taking over a lock left by a run that died");
    expect(JSON.parse(readFileSync(paths[0] as string, "utf8"))).toMatchObject({ pid: 200 });
    second.release();
  });

  it("does not remove a lock that another run has taken over from it", () => {
    const { paths } = setup();
    const first = acquireRunLock(paths, what, host(100, alive));
    const second = acquireRunLock(
      paths,
      what,
      host(200, (pid) => pid !== 100),
    ); // thought 100 dead
    first.release();
    expect(paths.filter((path) => !existsSync(path))).toEqual([]);
    second.release();
  });

  it("takes over a damaged lock file", () => {
    const { paths } = setup();
    const [reportLock] = paths as [string];
    mkdirSync(dirname(reportLock), { recursive: true });
    writeFileSync(reportLock, "garbage");
    warnings.length = 0;
    const lock = acquireRunLock(paths, what, host(200, alive));
    // Taken over, with a warning that says why, and both files now name this process.
    const warned = warnings.map((line) => JSON.parse(line) as { msg: string; reason: string; lock: string });
    expect(warned).toEqual([
      expect.objectContaining({
        msg: "taking over a lock left by a run that died",
        reason: "its content is unreadable",
        lock: reportLock,
      }),
    ]);
    for (const path of paths) {
      expect(JSON.parse(readFileSync(path, "utf8")), path).toMatchObject({ pid: 200, host: "batch1" });
    }
    lock.release();
    expect(paths.filter((path) => existsSync(path))).toEqual([]);
  });
});

describe("freeDefaultReportPath", () => {
  const at = new Date("2026-01-01T02:15:00.000Z");
  it.each([
    [[], "reports/people-20260101T021500Z.csv"],
    [["reports/people-20260101T021500Z.csv"], "reports/people-20260101T021500Z-2.csv"],
    [
      ["reports/people-20260101T021500Z.csv", "reports/people-20260101T021500Z-2.csv"],
      "reports/people-20260101T021500Z-3.csv",
    ],
  ])("taken %j → %s", (taken, expected) => {
    expect(freeDefaultReportPath("hr/people.csv", at, (path) => taken.includes(path))).toBe(expected);
  });
});

describe("directories made for a lock", () => {
  it("are removed on release when nothing else was put in them, and kept when a report was", () => {
    const dir = tempDir("zo-lock-dirs-");
    const host: LockHost = {
      pid: 1,
      host: "h",
      bootId: null,
      now: () => new Date(0),
      isAlive: () => true,
      logger: pino({ level: "silent" }),
    };
    const what = { input: "i", reportDir: "r" };
    const empty = join(dir, "a", "reports", ".zoom-offboard.lock");
    acquireRunLock([empty], what, host).release();
    expect(existsSync(join(dir, "a"))).toBe(false);

    const used = join(dir, "b", ".zoom-offboard.lock");
    const lock = acquireRunLock([used], what, host);
    writeFileSync(join(dir, "b", "report.csv"), "line\n");
    lock.release();
    expect(existsSync(join(dir, "b", "report.csv"))).toBe(true);
  });
});
