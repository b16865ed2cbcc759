import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type SimStats,
  type SimUser,
  type SimUserData,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from "../../src/sim/server.js";
import { DATA_KINDS } from "../../src/sim/user-data.js";
import { parseSimUsersCsv } from "../../src/sim/users-csv.js";
import {
  type CliResult,
  expectEveryRowOnce,
  FIXTURES,
  type ReportRecord,
  readReport,
  runCli,
  tempDir,
} from "../helpers/run-cli.js";
import { cliEnv, TEST_CREDENTIALS } from "../helpers/sim-env.js";

// The whole offboarding — sign-out, licence, status, removal with data transfer — run by the real CLI over real
// HTTP against the simulator, and judged by what the simulator holds afterwards as much as by the report.
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function startSim(users: SimUser[], options: SimulatorOptions = {}): Promise<Simulator> {
  sim = await startSimulator({ credentials: TEST_CREDENTIALS, users, ...options });
  return sim;
}

/** An active Licensed member `<name>@acme.example` with id `u-<name>`; `extra` overrides any field. */
function member(name: string, extra: Partial<SimUser> = {}): SimUser {
  return { id: `u-${name}`, email: `${name}@acme.example`, status: "active", role: "member", ...extra };
}

const email = (name: string): string => `${name}@acme.example`;

type Row = ReportRecord & { transfer_to: string };

interface Run {
  result: CliResult;
  /** Report rows by input line. */
  rows: Map<number, Row>;
  /** The rows in the order the report file holds them. */
  records: Row[];
  report: string;
  cwd: string;
}

// Each run's input and report get a file of their own, so that runs of one test never share a report.
let files = 0;

/** Write `csv` as the input and run `run <input> --report <report> ...args` against the simulator. */
async function runFile(csv: string, args: string[], cwd = tempDir()): Promise<Run> {
  const input = join(cwd, `input-${++files}.csv`);
  writeFileSync(input, csv);
  return runInput(input, args, cwd);
}

async function runInput(input: string, args: string[], cwd = tempDir()): Promise<Run> {
  const report = join(cwd, `report-${++files}.csv`);
  const result = await runCli(["run", input, "--report", report, ...args], { env: cliEnv(live()), cwd });
  return { result, report, cwd, ...reportRows(report) };
}

function reportRows(report: string): { rows: Map<number, Row>; records: Row[] } {
  const records = existsSync(report) ? (readReport(report) as Row[]) : [];
  return { records, rows: new Map(records.map((row) => [Number(row.line), row])) };
}

function live(): Simulator {
  if (sim === undefined) throw new Error("start the simulator first");
  return sim;
}

/** A CSV text from a header and rows. */
const csvOf = (header: string, rows: readonly string[]): string => `${[header, ...rows].join("\n")}\n`;

/** Requests that change something, whatever their answer: none of these may go out when a run is refused. */
function changeRequests(stats: SimStats): number {
  const { put_status, sign_out, update_user, delete_user } = stats.requestsByRoute;
  return put_status + sign_out + update_user + delete_user;
}

/** The change requests the simulator received for one user (by canonical id), in arrival order. */
function changesFor(stats: SimStats, userId: string): string[] {
  const changes = new Set(["put_status", "sign_out", "update_user", "delete_user"]);
  return stats.log.filter((entry) => entry.user === userId && changes.has(entry.route)).map((e) => e.route);
}

/** Every data count, zeros included, as the simulator reads a user back. */
function fullData(data: Partial<SimUserData>): SimUserData {
  return Object.fromEntries(DATA_KINDS.map((kind) => [kind, data[kind] ?? 0])) as SimUserData;
}

/** The counts of several users added up, kind by kind: what a target holds after receiving their data. */
function plus(...holdings: Partial<SimUserData>[]): SimUserData {
  const sum = fullData({});
  for (const held of holdings) for (const kind of DATA_KINDS) sum[kind] += held[kind] ?? 0;
  return sum;
}

/** Zoom's answer to a plain GET of the user after the run, asked as any other client of the account would. */
async function askZoom(target: Simulator, user: string): Promise<{ status: number; code: unknown }> {
  const { clientId, clientSecret, accountId } = TEST_CREDENTIALS;
  const tokenAnswer = await fetch(target.oauthUrl, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "account_credentials", account_id: accountId }),
  });
  const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
  const answer = await fetch(`${target.apiUrl}/users/${encodeURIComponent(user)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: answer.status, code: ((await answer.json()) as { code?: unknown }).code };
}

/** Data a leaver owns, one of each kind at least, so that a lost kind cannot hide behind a zero. */
const LEAVER_DATA: SimUserData = {
  meetings: 3,
  webinars: 1,
  recordings: 4,
  whiteboards: 2,
  clipfiles: 1,
  notes: 1,
  docs: 2,
  visitors: 1,
};

const NOT_LICENSED = "is not Licensed: Zoom moves recordings and webinars only to a Licensed user";

describe("each action, applied", () => {
  const CASES: {
    action: string;
    user: SimUser;
    transferTo?: string;
    message: RegExp;
    after: Partial<SimUser> | "gone";
  }[] = [
    {
      action: "signout",
      user: member("sally"),
      message: /^signed out/,
      after: { status: "active", type: 2 },
    },
    { action: "downgrade", user: member("dan"), message: /^downgraded to Basic/, after: { type: 1 } },
    { action: "license", user: member("lee", { type: 1 }), message: /^Licensed again/, after: { type: 2 } },
    { action: "deactivate", user: member("dee"), message: /status changed/, after: { status: "inactive" } },
    {
      action: "activate",
      user: member("ava", { status: "inactive" }),
      message: /status changed/,
      after: { status: "active" },
    },
    {
      action: "delete",
      user: member("del", { data: { meetings: 2 } }),
      transferTo: email("heir"),
      message: /^deleted; .*moved to heir@acme\.example/,
      after: "gone",
    },
    {
      action: "disassociate",
      user: member("dis", { data: { recordings: 3 } }),
      transferTo: email("heir"),
      message: /^disassociated; .*moved to heir@acme\.example/,
      after: "gone",
    },
  ];

  it("one file with every action: each row applied (204), and the simulator holds the result", async () => {
    const target = await startSim([member("heir"), ...CASES.map((c) => c.user)]);
    const lines = CASES.map((c) => `${c.user.email},${c.action},${c.transferTo ?? ""}`);
    const { result, rows } = await runFile(csvOf("email,action,transfer_to", lines), [
      "--yes",
      "--max-deletions",
      "2",
    ]);
    expect(result.code).toBe(0);
    const stats = target.stats();
    for (const [index, c] of CASES.entries()) {
      expect(rows.get(index + 2), c.action).toMatchObject({
        user_id: c.user.email,
        action: c.action,
        outcome: "applied",
        http_status: "204",
        attempts: "1",
        transfer_to: c.transferTo ?? "",
      });
      expect(rows.get(index + 2)?.message).toMatch(c.message);
      if (c.after === "gone") expect(target.user(c.user.id), c.action).toBeUndefined();
      else expect(target.user(c.user.id), c.action).toMatchObject(c.after);
    }
    // One sign-out, for the one user whose row asked for it; the two type changes, each the right way.
    expect(stats.signOutsByUser).toEqual({ "u-sally": 1 });
    expect(stats.typeChanges).toEqual([
      { user: "u-dan", from: 2, to: 1 },
      { user: "u-lee", from: 1, to: 2 },
    ]);
    expect(stats.removals.map((r) => [r.user, r.action, r.transferTo])).toEqual([
      ["u-del", "delete", "u-heir"],
      ["u-dis", "disassociate", "u-heir"],
    ]);
    // Removed for real: any client of the account now gets Zoom's "no such user".
    for (const gone of ["u-del", "dis@acme.example"]) {
      expect(await askZoom(target, gone)).toEqual({ status: 404, code: 1001 });
    }
  });
});

describe("Zoom's refusals of the new operations", () => {
  interface Refusal {
    name: string;
    user: SimUser;
    action: string;
    /** Whether the row names a transfer target (heir@acme.example). */
    transfer: boolean;
    code: string;
    message: RegExp;
  }
  // One run per set of flags, one row per refusal: the rows are independent users, so they cannot disturb
  // each other, and each row is judged on its own.
  const RUNS: { name: string; flags: string[]; cases: Refusal[] }[] = [
    {
      name: "with look-ups",
      flags: [],
      cases: [
        {
          name: "a downgrade with upcoming Zoom Events",
          user: member("ev1", { upcomingEvents: true }),
          action: "downgrade",
          transfer: false,
          code: "300",
          message: /upcoming Zoom Events/,
        },
        {
          name: "a call-queue manager",
          user: member("queue", { callQueueManager: true }),
          action: "delete",
          transfer: true,
          code: "1000",
          message: /Call-queue manager or Auto-receptionist operator/,
        },
        {
          name: "a managed-domain user disassociated",
          user: member("managed", { managedDomain: true }),
          action: "disassociate",
          transfer: true,
          code: "1107",
          message: /managed domain/,
        },
        {
          name: "an expired invitation",
          user: member("expired", { status: "pending", invitationExpired: true }),
          action: "delete",
          transfer: true,
          code: "1120",
          message: /valid invitation .* was not found/,
        },
        {
          name: "a deactivated user Zoom will not delete",
          user: member("stuck", { status: "inactive", deleteRefused: true }),
          action: "delete",
          transfer: true,
          code: "200",
          message: /Unable to delete this deactivated user/,
        },
      ],
    },
    {
      // The look-ups hold admins and Zoom Rooms back (protected, below); without them Zoom's refusal is the answer.
      name: "without look-ups",
      flags: ["--lookup", "none"],
      cases: [
        {
          name: "a Zoom Rooms downgrade",
          user: member("room1", { role: "room" }),
          action: "downgrade",
          transfer: false,
          code: "200",
          message: /Zoom Room user cannot be changed to a free user type/,
        },
        {
          name: "a Zoom Rooms deletion",
          user: member("room2", { role: "room" }),
          action: "delete",
          transfer: true,
          code: "200",
          message: /Cannot delete a Zoom Rooms user/,
        },
        {
          name: "an admin disassociated",
          user: member("boss", { role: "admin" }),
          action: "disassociate",
          transfer: true,
          code: "1117",
          message: /can not disassociate an Admin user/,
        },
      ],
    },
    {
      name: "with --no-transfer",
      flags: ["--no-transfer"],
      cases: [
        {
          name: "a deletion with published Zoom Events and no target",
          user: member("ev2", { upcomingEvents: true }),
          action: "delete",
          transfer: false,
          code: "300",
          message: /published events on Zoom Events .*target user/,
        },
      ],
    },
  ];

  it.each(RUNS)(
    "$name: each refused row is rejected with Zoom's code and words, and nothing changes",
    async ({ flags, cases }) => {
      const target = await startSim([member("heir"), ...cases.map((c) => c.user)]);
      const lines = cases.map((c) => `${c.user.email},${c.action},${c.transfer ? email("heir") : ""}`);
      const { result, rows } = await runFile(csvOf("email,action,transfer_to", lines), [
        "--yes",
        "--max-deletions",
        String(cases.length),
        ...flags,
      ]);
      expect(result.code).toBe(1);
      for (const [index, c] of cases.entries()) {
        const row = rows.get(index + 2);
        expect(row, c.name).toMatchObject({
          action: c.action,
          outcome: "rejected",
          http_status: "400",
          zoom_code: c.code,
          attempts: "1",
          transfer_to: "",
        });
        expect(row?.message, c.name).toMatch(c.message);
        // Refused means unchanged: still there, with the same status and type.
        const type = c.user.type ?? (c.user.status === "inactive" ? 1 : 2);
        expect(target.user(c.user.id), c.name).toMatchObject({ status: c.user.status, type });
      }
      expect(target.stats().removals).toEqual([]);
      expect(target.user("u-heir")?.data).toEqual(fullData({}));
    },
  );

  it("with look-ups, an admin and a Zoom Rooms account are protected and never sent", async () => {
    const target = await startSim([
      member("heir"),
      member("boss", { role: "admin" }),
      member("room", { role: "room" }),
    ]);
    const lines = [`${email("boss")},disassociate,${email("heir")}`, `${email("room")},downgrade,`];
    const { result, rows } = await runFile(csvOf("email,action,transfer_to", lines), [
      "--yes",
      "--max-deletions",
      "1",
    ]);
    expect(result.code).toBe(0);
    expect([...rows.values()].map((row) => [row.outcome, row.attempts, row.message])).toEqual([
      ["protected", "0", "the account's admin: never changed by this tool"],
      ["protected", "0", "a Zoom Rooms account: never changed by this tool"],
    ]);
    expect(changeRequests(target.stats())).toBe(0);
    expect(target.user("u-boss")).toMatchObject({ status: "active", type: 2 });
    expect(target.user("u-room")).toMatchObject({ status: "active", type: 2 });
  });
});

describe("data transfers", () => {
  const leaver = () => member("leaver", { data: LEAVER_DATA });
  const heir = () => member("heir", { data: { meetings: 1, recordings: 5 } });

  it("a deletion moves all of the leaver's data: the target grows by exactly that, nothing lost", async () => {
    const target = await startSim([leaver(), heir()]);
    const { result, rows } = await runFile(
      csvOf("email,action,manager_email", [`${email("leaver")},delete,${email("heir")}`]),
      ["--yes", "--max-deletions", "1"],
    );
    expect(result.code).toBe(0);
    expect(rows.get(2)).toMatchObject({ outcome: "applied", transfer_to: email("heir") });
    expect(rows.get(2)?.message).not.toMatch(/not transferred/);
    expect(target.stats().removals).toEqual([
      {
        user: "u-leaver",
        email: email("leaver"),
        action: "delete",
        transferTo: "u-heir",
        moved: LEAVER_DATA,
        lost: {},
      },
    ]);
    expect(target.user("u-heir")?.data).toEqual(plus(heir().data ?? {}, LEAVER_DATA));
  });

  it("--transfer-to names the target for rows without one", async () => {
    const target = await startSim([leaver(), heir()]);
    const { result, rows } = await runFile(csvOf("email,action", [`${email("leaver")},delete`]), [
      "--yes",
      "--max-deletions",
      "1",
      "--transfer-to",
      email("heir"),
    ]);
    expect(result.code).toBe(0);
    expect(rows.get(2)).toMatchObject({ outcome: "applied", transfer_to: email("heir") });
    expect(target.stats().removals[0]).toMatchObject({ transferTo: "u-heir", lost: {} });
  });

  it("--transfer meetings,recordings moves only those; the report names what stays behind, and it is lost", async () => {
    const target = await startSim([leaver(), heir()]);
    const { result, rows } = await runFile(
      csvOf("email,action,transfer_to", [`${email("leaver")},delete,${email("heir")}`]),
      ["--yes", "--max-deletions", "1", "--transfer", "meetings,recordings"],
    );
    expect(result.code).toBe(0);
    const row = rows.get(2);
    expect(row).toMatchObject({ outcome: "applied", transfer_to: email("heir") });
    expect(row?.message).toMatch(/meetings, recordings moved to heir@acme\.example/);
    expect(row?.message).toMatch(/not transferred: webinars, whiteboards, clips, notes, docs, visitors/);
    const { meetings, recordings, ...rest } = LEAVER_DATA;
    expect(target.stats().removals[0]).toMatchObject({ moved: { meetings, recordings }, lost: rest });
    expect(target.user("u-heir")?.data).toEqual(plus(heir().data ?? {}, { meetings, recordings }));
  });

  it("--no-transfer lets a removal go without a target: everything lost, and the report says so", async () => {
    const target = await startSim([leaver(), heir()]);
    const { result, rows } = await runFile(csvOf("email,action", [`${email("leaver")},disassociate`]), [
      "--yes",
      "--max-deletions",
      "1",
      "--no-transfer",
    ]);
    expect(result.code).toBe(0);
    expect(rows.get(2)).toMatchObject({
      outcome: "applied",
      message: "disassociated; no data transferred",
      transfer_to: "",
    });
    const [removal] = target.stats().removals;
    expect(removal?.transferTo).toBeUndefined();
    expect(removal).toMatchObject({ moved: {}, lost: LEAVER_DATA });
    expect(target.user("u-heir")?.data).toEqual(fullData(heir().data ?? {}));
  });

  it("a removal without a target and without --no-transfer is invalid, and nothing is sent", async () => {
    const target = await startSim([leaver(), heir()]);
    const { result, rows } = await runFile(
      csvOf("email,action,transfer_to", [`${email("leaver")},delete,`, `${email("heir")},disassociate,`]),
      ["--yes", "--max-deletions", "2"],
    );
    expect(result.code).toBe(1);
    for (const line of [2, 3]) {
      expect(rows.get(line)).toMatchObject({
        outcome: "invalid",
        attempts: "0",
        message: "would lose their recordings: give transfer_to, or pass --no-transfer",
      });
    }
    expect(changeRequests(target.stats())).toBe(0);
    expect(target.user("u-leaver")?.data).toEqual(LEAVER_DATA);
  });

  it.each([
    {
      name: "not in the account, deactivated, pending, or Basic while recordings go",
      flags: [],
      targets: [
        { user: undefined, problem: "is not in the account" },
        { user: member("t2", { status: "inactive" }), problem: "is deactivated" },
        { user: member("t3", { status: "pending" }), problem: "has not joined the account yet (pending)" },
        { user: member("t4", { type: 1 }), problem: NOT_LICENSED },
      ],
    },
    {
      name: "Basic while webinars go",
      flags: ["--transfer", "webinars"],
      targets: [{ user: member("t1", { type: 1 }), problem: NOT_LICENSED }],
    },
  ])("a target that is $name: the row is invalid, and nothing is sent for it", async ({ flags, targets }) => {
    // One leaver per target, each naming t<n>@acme.example; t1 of the first run is in no account.
    const leavers = targets.map((_, i) => member(`leaver${i + 1}`, { data: LEAVER_DATA }));
    const present = targets.flatMap((t) => (t.user === undefined ? [] : [t.user]));
    const zoom = await startSim([...leavers, ...present]);
    const lines = leavers.map((l, i) => `${l.email},delete,${email(`t${i + 1}`)}`);
    const { result, rows } = await runFile(csvOf("email,action,transfer_to", lines), [
      "--yes",
      "--max-deletions",
      String(lines.length),
      ...flags,
    ]);
    expect(result.code).toBe(1);
    for (const [i, { problem }] of targets.entries()) {
      expect(rows.get(i + 2)).toMatchObject({
        outcome: "invalid",
        attempts: "0",
        message: `the transfer target t${i + 1}@acme.example ${problem}`,
        transfer_to: "",
      });
      expect(zoom.user(`u-leaver${i + 1}`)?.data).toEqual(LEAVER_DATA);
    }
    expect(changeRequests(zoom.stats())).toBe(0);
  });

  it("a Basic target may take what needs no licence", async () => {
    const target = await startSim([leaver(), member("basic", { type: 1 })]);
    const { result, rows } = await runFile(
      csvOf("email,action,transfer_to", [`${email("leaver")},delete,${email("basic")}`]),
      ["--yes", "--max-deletions", "1", "--transfer", "meetings,docs"],
    );
    expect(result.code).toBe(0);
    expect(rows.get(2)?.outcome).toBe("applied");
    expect(target.user("u-basic")?.data).toMatchObject({ meetings: 3, docs: 2, recordings: 0 });
  });

  it("a target the same file removes is invalid; the other removal still goes", async () => {
    const target = await startSim([leaver(), heir(), member("boss")]);
    const { result, rows } = await runFile(
      csvOf("email,action,transfer_to", [
        `${email("leaver")},delete,${email("heir")}`,
        `${email("heir")},delete,${email("boss")}`,
      ]),
      ["--yes", "--max-deletions", "2"],
    );
    expect(result.code).toBe(1);
    expect(rows.get(2)).toMatchObject({
      outcome: "invalid",
      attempts: "0",
      message: "the transfer target heir@acme.example is removed by this file too",
    });
    expect(rows.get(3)).toMatchObject({ outcome: "applied", transfer_to: email("boss") });
    expect(changesFor(target.stats(), "u-leaver")).toEqual([]);
    expect(target.user("u-leaver")?.data).toEqual(LEAVER_DATA);
    expect(target.user("u-boss")?.data).toEqual(fullData({ meetings: 1, recordings: 5 }));
  });

  it.each([
    { mode: "a real run, looking up alongside", flags: ["--yes", "--max-deletions", "4"] },
    { mode: "a dry run, looking up first", flags: ["--dry-run"] },
  ])(
    "a manager receiving several leavers' data is looked up once, never twice at a time ($mode)",
    async ({ flags }) => {
      const leavers = ["l1", "l2", "l3", "l4"].map((name) => member(name, { data: { recordings: 2 } }));
      // Latency keeps requests in flight long enough to overlap, as over a real network.
      const target = await startSim([heir(), ...leavers], { latencyMs: 30 });
      const lines = leavers.map((l) => `${l.email},delete,${email("heir")}`);
      const { result } = await runFile(csvOf("email,action,transfer_to", lines), [
        ...flags,
        "--lookup",
        "per-user",
      ]);
      expect(result.code).toBe(0);
      const stats = target.stats();
      expect(stats.concurrentSameUser).toBe(0);
      expect(stats.tooManyRequests).toBe(0);
      expect(stats.log.filter((e) => e.route === "get_user" && e.user === "u-heir")).toHaveLength(1);
    },
  );
});

describe("what the look-ups decide", () => {
  it.each(["per-user", "directory"])(
    "with --lookup %s: a Basic user's downgrade, a Licensed user's license and a gone user's removal are already",
    async (lookup) => {
      const target = await startSim([member("basic", { type: 1 }), member("paid"), member("heir")]);
      const lines = [
        `${email("basic")},downgrade,`,
        `${email("paid")},license,`,
        `${email("gone")},delete,${email("heir")}`,
      ];
      const { result, rows } = await runFile(csvOf("email,action,transfer_to", lines), [
        "--yes",
        "--max-deletions",
        "1",
        "--lookup",
        lookup,
      ]);
      expect(result.code).toBe(0);
      expect([...rows.values()].map((row) => [row.outcome, row.message, row.attempts])).toEqual([
        ["already", "already Basic in Zoom", "0"],
        ["already", "already Licensed in Zoom", "0"],
        ["already", "not in the account: already gone", "0"],
      ]);
      expect(changeRequests(target.stats())).toBe(0);
    },
  );
});

describe("a pending user", () => {
  it("asked to be deleted is disassociated, the only removal Zoom has for them", async () => {
    const target = await startSim([member("invitee", { status: "pending" }), member("heir")]);
    const { result, rows } = await runFile(
      csvOf("email,action,transfer_to", [`${email("invitee")},delete,${email("heir")}`]),
      ["--yes", "--max-deletions", "1"],
    );
    expect(result.code).toBe(0);
    expect(rows.get(2)).toMatchObject({ action: "delete", outcome: "applied", http_status: "204" });
    expect(rows.get(2)?.message).toMatch(
      /^disassociated \(a pending user: Zoom removes them only by disassociating\)/,
    );
    expect(target.stats().removals).toMatchObject([{ user: "u-invitee", action: "disassociate" }]);
    expect(target.user("u-invitee")).toBeUndefined();
  });
});

describe("scopes", () => {
  // Every granular scope this tool uses but the one that removes users.
  const WITHOUT_DELETE = [
    "user:read:user:admin",
    "user:read:list_users:admin",
    "user:update:status:admin",
    "user:delete:token:admin",
    "user:update:user:admin",
  ];

  it("a file with a removal and a token without the delete scope: exit 2 naming it, not one change sent", async () => {
    const target = await startSim([member("leaver"), member("heir")], { scopes: WITHOUT_DELETE });
    const { result, report } = await runFile(
      csvOf("email,action,transfer_to", [
        `${email("leaver")},signout,`,
        `${email("leaver")},delete,${email("heir")}`,
      ]),
      ["--yes", "--max-deletions", "1"],
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/remove user \(one of user:delete:user:admin, user:write:admin\)/);
    const stats = target.stats();
    // The token answer is where the scopes are read: it is the only request.
    expect(stats.requests).toBe(stats.tokenRequests);
    expect(changeRequests(stats)).toBe(0);
    expect(existsSync(report)).toBe(false);
    expect(target.user("u-leaver")).toBeDefined();
  });

  it("the same token runs a file that needs no removal", async () => {
    const target = await startSim([member("leaver")], { scopes: WITHOUT_DELETE });
    const { result, rows } = await runFile(csvOf("email,action", [`${email("leaver")},signout`]), ["--yes"]);
    expect(result.code).toBe(0);
    expect(rows.get(2)?.outcome).toBe("applied");
    expect(target.stats().signOuts).toBe(1);
  });
});

describe("the deletion guard", () => {
  const people = (count: number) => Array.from({ length: count }, (_, i) => member(`p${i + 1}`));
  const removals = (count: number) =>
    csvOf(
      "email,action,transfer_to",
      people(count).map((p) => `${p.email},delete,${email("heir")}`),
    );

  it("by default a file with deletions stops: exit 3, every row not_attempted, nothing sent", async () => {
    const target = await startSim([member("heir"), ...people(2), member("stays")]);
    const csv = `${removals(2)}${email("stays")},deactivate,\n`;
    const { result, records } = await runFile(csv, ["--yes", "--json"]);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).stop_reason).toMatch(
      /would delete or disassociate 2 users, more than the limit of 0 .*--max-deletions 2/,
    );
    expect(records.map((row) => row.outcome)).toEqual(["not_attempted", "not_attempted", "not_attempted"]);
    expect(changeRequests(target.stats())).toBe(0);
    expect(target.allUsers()).toHaveLength(4);
  });

  it.each([
    { limit: "2", deletions: 2, code: 0, verdict: "goes ahead" },
    { limit: "2", deletions: 3, code: 3, verdict: "stops (exit 3)" },
    // 20 % of the 10 active users (the target and nine people) is 2.
    { limit: "20%", deletions: 2, code: 0, verdict: "goes ahead" },
    { limit: "20%", deletions: 3, code: 3, verdict: "stops (exit 3)" },
  ])("--max-deletions $limit with $deletions deletions: $verdict", async ({ limit, deletions, code }) => {
    const target = await startSim([member("heir"), ...people(9)]);
    const { result, records } = await runFile(removals(deletions), [
      "--yes",
      "--max-deletions",
      limit,
      "--json",
    ]);
    expect(result.code).toBe(code);
    if (code === 0) {
      expect(records.map((row) => row.outcome)).toEqual(Array(deletions).fill("applied"));
      expect(target.stats().removals).toHaveLength(deletions);
    } else {
      const reason = JSON.parse(result.stdout).stop_reason as string;
      expect(reason).toMatch(limit.endsWith("%") ? /limit of 2 \(20% of 10 active users/ : /limit of 2 /);
      expect(records.map((row) => row.outcome)).toEqual(Array(deletions).fill("not_attempted"));
      expect(changeRequests(target.stats())).toBe(0);
    }
  });
});

describe("several actions for one user", () => {
  it("run one at a time in lifecycle order whatever the order of the lines, each row reported once in line order", async () => {
    const names = ["ann", "bob", "cat", "dot"];
    // Latency keeps requests in flight long enough that two for one user would overlap if they were allowed to.
    const target = await startSim([member("heir"), ...names.map((n) => member(n))], { latencyMs: 25 });
    const lines = [
      ...names.map((n) => `${email(n)},deactivate,`),
      ...names.map((n) => `${email(n)},signout,`),
      `${email("dot")},delete,${email("heir")}`,
      `${email("dot")},downgrade,`,
    ];
    const { result, report, records } = await runFile(csvOf("email,action,transfer_to", lines), [
      "--yes",
      "--max-deletions",
      "1",
      "--concurrency",
      "8",
    ]);
    expect(result.code).toBe(0);
    expectEveryRowOnce(report, lines.length);
    expect(records.map((row) => [row.user_id, row.action])).toEqual(
      lines.map((line) => line.split(",").slice(0, 2)),
    );
    expect(records.filter((row) => row.outcome !== "applied")).toEqual([]);
    const stats = target.stats();
    for (const name of ["ann", "bob", "cat"]) {
      expect(changesFor(stats, `u-${name}`), name).toEqual(["sign_out", "put_status"]);
    }
    expect(changesFor(stats, "u-dot")).toEqual(["sign_out", "update_user", "put_status", "delete_user"]);
    expect(stats.concurrentSameUser).toBe(0);
    expect(stats.tooManyRequests).toBe(0);
  });

  it("contradicting actions are conflicts, and nothing is sent for those users", async () => {
    // Each pair is one user's two lines, in file order; the reason names both, alphabetically.
    const PAIRS = [
      { pair: ["activate", "delete"], reason: "activate at line 2, delete at line 3" },
      { pair: ["delete", "disassociate"], reason: "delete at line 4, disassociate at line 5" },
      { pair: ["license", "downgrade"], reason: "downgrade at line 7, license at line 6" },
    ];
    const users = PAIRS.map((_, i) => member(`c${i}`, { status: "inactive" }));
    const target = await startSim([member("heir"), ...users, member("fine")]);
    const lines = PAIRS.flatMap(({ pair }, i) =>
      pair.map((action) => `${users[i]?.email},${action},${email("heir")}`),
    );
    // A sign-out and a deletion do not contradict each other: a control that the pairs above are singled out.
    lines.push(`${email("fine")},signout,`, `${email("fine")},delete,${email("heir")}`);
    const { result, rows } = await runFile(csvOf("email,action,transfer_to", lines), [
      "--yes",
      "--max-deletions",
      "5",
    ]);
    expect(result.code).toBe(1);
    for (const [i, { pair, reason }] of PAIRS.entries()) {
      for (const [j, action] of pair.entries()) {
        expect(rows.get(2 + 2 * i + j)).toMatchObject({
          action,
          outcome: "conflict",
          message: `user has both actions: ${reason}`,
          attempts: "0",
        });
      }
      expect(changesFor(target.stats(), `u-c${i}`)).toEqual([]);
    }
    expect(changesFor(target.stats(), "u-fine")).toEqual(["sign_out", "delete_user"]);
  });
});

describe("undo of a real lifecycle report", () => {
  it("reverses deactivate and downgrade, says signout and delete cannot be undone, and sends nothing for them", async () => {
    const target = await startSim([member("bob"), member("ann", { data: { meetings: 2 } }), member("heir")]);
    const lines = [
      `${email("bob")},signout,`,
      `${email("bob")},deactivate,`,
      `${email("bob")},downgrade,`,
      `${email("ann")},delete,${email("heir")}`,
    ];
    const run = await runFile(csvOf("email,action,transfer_to", lines), ["--yes", "--max-deletions", "1"]);
    expect(run.result.code).toBe(0);
    expect(target.user("u-bob")).toMatchObject({ status: "inactive", type: 1 });
    target.resetStats();

    const undoReport = join(run.cwd, "undo.csv");
    const undone = await runCli(["undo", run.report, "--yes", "--report", undoReport], {
      env: cliEnv(target),
      cwd: run.cwd,
    });
    expect(undone.code).toBe(1);
    const rows = reportRows(undoReport).rows;
    expect([...rows.values()].map((r) => [r.line, r.user_id, r.action, r.outcome, r.attempts])).toEqual([
      ["2", email("bob"), "signout", "irreversible", "0"],
      ["3", email("bob"), "activate", "applied", "1"],
      ["4", email("bob"), "license", "applied", "1"],
      ["5", email("ann"), "delete", "irreversible", "0"],
    ]);
    expect(rows.get(2)?.message).toMatch(/^signout cannot be undone .*nothing was sent/);
    expect(rows.get(5)?.message).toMatch(/^delete cannot be undone .*nothing was sent/);
    const stats = target.stats();
    expect(stats.requestsByRoute).toMatchObject({
      sign_out: 0,
      delete_user: 0,
      put_status: 1,
      update_user: 1,
    });
    expect(target.user("u-bob")).toMatchObject({ status: "active", type: 2 });
    expect(target.user("u-ann")).toBeUndefined();
  });
});

describe("--resume", () => {
  const leavers = ["r1", "r2", "r3"].map((name, i) => member(name, { data: { recordings: i + 1 } }));
  const input = csvOf(
    "email,action,transfer_to",
    leavers.map((l) => `${l.email},delete,${email("heir")}`),
  );

  it.each([
    { name: "with rows that failed", cut: false },
    { name: "cut short by a crash mid-row", cut: true },
  ])(
    "a report $name: applied rows carried over with their transfer_to, the rest sent once",
    async ({ cut }) => {
      const target = await startSim([member("heir"), ...leavers]);
      // The first removal goes through; the account then answers 503 to the rest, which one attempt gives up on.
      target.setRefusal("delete_user", { status: 503, afterRequests: 1 });
      const cwd = tempDir();
      const inputPath = join(cwd, "leavers.csv");
      writeFileSync(inputPath, input);
      const flags = ["--yes", "--max-deletions", "3", "--concurrency", "1", "--lookup", "none"];
      const first = await runInput(inputPath, [...flags, "--max-attempts", "1"], cwd);
      expect(first.records.map((row) => row.outcome)).toEqual(["applied", "failed", "failed"]);
      if (cut) {
        // What a crash leaves: the header, the applied row, and half of the next line.
        const [header, applied, next = ""] = readFileSync(first.report, "utf8").split("\n");
        writeFileSync(first.report, `${header}\n${applied}\n${next.slice(0, 20)}`);
      }
      target.setRefusal("delete_user", null);
      target.resetStats();

      const second = await runInput(inputPath, [...flags, "--resume", first.report], cwd);
      expect(second.result.code).toBe(0);
      expect(second.rows.get(2)).toMatchObject({
        outcome: "applied",
        attempts: "1",
        transfer_to: email("heir"),
      });
      expect(second.rows.get(2)?.message).toMatch(/^carried over from report-.*\.csv: deleted; /);
      for (const line of [3, 4]) {
        expect(second.rows.get(line)).toMatchObject({ outcome: "applied", transfer_to: email("heir") });
        expect(second.rows.get(line)?.message).toMatch(/^deleted; /);
      }
      const stats = target.stats();
      expect(stats.requestsByRoute.delete_user).toBe(2);
      expect(stats.removals.map((r) => r.user)).toEqual(["u-r2", "u-r3"]);
      // 1 + 2 + 3 recordings, each leaver's exactly once.
      expect(target.user("u-heir")?.data.recordings).toBe(6);
    },
  );

  it("an older report without the transfer_to column: its applied rows are carried, the rest sent", async () => {
    const people = ["o1", "o2", "o3"].map((n) => member(n));
    const target = await startSim(people);
    const cwd = tempDir();
    const inputPath = join(cwd, "leavers.csv");
    writeFileSync(
      inputPath,
      csvOf(
        "email,action",
        people.map((p) => `${p.email},deactivate`),
      ),
    );
    // Written by hand in the layout of reports before transfer_to, with no sidecar: as an older version left it.
    const old = join(cwd, "old-report.csv");
    writeFileSync(
      old,
      csvOf("line,user_id,action,outcome,http_status,zoom_code,message,attempts,tracking_id,finished_at", [
        `2,${email("o1")},deactivate,applied,204,,status changed,1,v=2.0;rid=OLD1,2026-11-02T09:00:00.000Z`,
        `3,${email("o2")},deactivate,failed,503,,gave up after 5 attempts,5,v=2.0;rid=OLD2,2026-11-02T09:00:01.000Z`,
      ]),
    );
    const { result, rows, report } = await runInput(inputPath, ["--yes", "--resume", old], cwd);
    expect(result.code).toBe(0);
    expect(readFileSync(report, "utf8").split("\n")[0]).toMatch(/,finished_at,transfer_to$/);
    expect(rows.get(2)).toMatchObject({
      outcome: "applied",
      tracking_id: "v=2.0;rid=OLD1",
      transfer_to: "",
      message: "carried over from old-report.csv: status changed",
    });
    expect(rows.get(3)).toMatchObject({ outcome: "applied", attempts: "1" });
    expect(rows.get(4)).toMatchObject({ outcome: "applied", attempts: "1" });
    expect(target.stats().putsByUser).toEqual({ "u-o2": 1, "u-o3": 1 });
    // Not sent again: the simulator never heard of that row, so o1 is still active here.
    expect(target.user("u-o1")?.status).toBe("active");
  });
});

describe("dry run", () => {
  it("previews every action, a removal naming where the data goes, and sends nothing", async () => {
    const target = await startSim([
      member("sally"),
      member("dan"),
      member("lee", { type: 1 }),
      member("dee"),
      member("ava", { status: "inactive" }),
      member("del"),
      member("dis"),
      member("invitee", { status: "pending" }),
      member("heir"),
    ]);
    const lines = [
      `${email("sally")},signout,`,
      `${email("dan")},downgrade,`,
      `${email("lee")},license,`,
      `${email("dee")},deactivate,`,
      `${email("ava")},activate,`,
      `${email("del")},delete,${email("heir")}`,
      `${email("dis")},disassociate,${email("heir")}`,
      `${email("invitee")},delete,${email("heir")}`,
    ];
    const { result, rows } = await runFile(csvOf("email,action,transfer_to", lines), [
      "--dry-run",
      "--json",
      "--transfer",
      "meetings,recordings",
    ]);
    expect(result.code).toBe(0);
    expect([...rows.values()].map((row) => [row.action, row.outcome, row.attempts])).toEqual(
      lines.map((line) => [line.split(",")[1], "would_apply", "0"]),
    );
    expect(rows.get(7)?.message).toMatch(
      /^dry run: would be deleted; meetings, recordings moved to heir@acme\.example/,
    );
    expect(rows.get(8)?.message).toMatch(
      /^dry run: would be disassociated; meetings, recordings moved to heir@/,
    );
    expect(rows.get(9)?.message).toMatch(
      /^dry run: would be disassociated \(a pending user\); .*moved to heir@/,
    );
    // A real run of this file would stop at the deletion guard; the preview says so.
    expect(JSON.parse(result.stdout).warnings).toEqual([
      expect.stringMatching(/^a real run would stop: this file would delete or disassociate 3 users/),
    ]);
    const stats = target.stats();
    expect(changeRequests(stats)).toBe(0);
    expect(stats.removals).toEqual([]);
    expect(target.allUsers()).toHaveLength(9);
  });
  it("offline (no credentials) still names each removal's target and what moves, and asks Zoom nothing", async () => {
    const target = await startSim([member("del"), member("heir")]);
    const cwd = tempDir();
    const input = join(cwd, "leavers.csv");
    writeFileSync(
      input,
      csvOf("email,action,transfer_to", [
        `${email("del")},delete,${email("heir")}`,
        `${email("del")},signout,`,
      ]),
    );
    const report = join(cwd, "preview.csv");
    // The API URL points at the simulator, so a request sent by mistake would be counted there.
    const result = await runCli(["run", input, "--dry-run", "--transfer", "recordings", "--report", report], {
      env: { ZOOM_API_URL: target.apiUrl, ZOOM_OAUTH_URL: target.oauthUrl },
      cwd,
    });
    expect(result.code).toBe(0);
    const { rows } = reportRows(report);
    expect(rows.get(2)).toMatchObject({ outcome: "would_apply", attempts: "0" });
    expect(rows.get(2)?.message).toMatch(
      /^dry run: would be deleted; recordings moved to heir@acme\.example; not transferred: meetings/,
    );
    expect(rows.get(3)).toMatchObject({ outcome: "would_apply", message: "dry run: would be sent" });
    expect(target.stats().requests).toBe(0);
  });
});

describe("the README's worked example", () => {
  it("last day, then thirty days later, against one account: maria ends up with her data plus jane's and carl's", async () => {
    const directory = parseSimUsersCsv(
      readFileSync(join(FIXTURES, "lifecycle-directory.csv"), "utf8"),
      "lifecycle-directory.csv",
    );
    const byEmail = (address: string) => {
      const user = directory.find((u) => u.email === address);
      if (user === undefined) throw new Error(`${address} is not in the fixture`);
      return user;
    };
    const [maria, jane, carl, sam] = [
      "maria.manager@acme.example",
      "jane.leaver@acme.example",
      "carl.contractor@acme.example",
      "sam.stays@acme.example",
    ].map(byEmail) as [SimUser, SimUser, SimUser, SimUser];
    const target = await startSim(directory);
    const cwd = tempDir();

    const lastDay = await runInput(join(FIXTURES, "last-day.csv"), ["--yes"], cwd);
    expect(lastDay.result.code).toBe(0);
    expect(lastDay.records.map((row) => row.outcome)).toEqual(Array(5).fill("applied"));
    const afterLastDay = target.stats();
    expect(afterLastDay.signOutsByUser).toEqual({ [jane.id]: 1, [carl.id]: 1 });
    for (const leaver of [jane, carl]) {
      // jane's file lists the deactivation first: the sign-out still goes before it.
      expect(changesFor(afterLastDay, leaver.id)).toEqual(["sign_out", "put_status"]);
      expect(target.user(leaver.id)).toMatchObject({ status: "inactive" });
    }
    expect(target.user(sam.id)).toMatchObject({ status: "active", type: 1 });

    const later = await runInput(
      join(FIXTURES, "thirty-days-later.csv"),
      ["--yes", "--max-deletions", "2"],
      cwd,
    );
    expect(later.result.code).toBe(0);
    expect(later.records.map((row) => [row.action, row.outcome, row.transfer_to])).toEqual([
      ["delete", "applied", maria.email],
      ["disassociate", "applied", maria.email],
    ]);
    const { removals } = target.stats();
    expect(removals.map((r) => [r.user, r.action, r.transferTo, r.lost])).toEqual([
      [jane.id, "delete", maria.id, {}],
      [carl.id, "disassociate", maria.id, {}],
    ]);
    expect(target.user(maria.id)?.data).toEqual(plus(maria.data ?? {}, jane.data ?? {}, carl.data ?? {}));
    expect(target.user(jane.id)).toBeUndefined();
    expect(target.user(carl.id)).toBeUndefined();
    expect(target.user(sam.id)).toMatchObject({ status: "active", type: 1 });
  });
});
