import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../../src/sim/server.js";
import type { SimUser, Simulator } from "../../src/sim/types.js";
import { call } from "../../src/zoom/call.js";
import { createDispatcher } from "../../src/zoom/dispatcher.js";
import type { OperationCall } from "../../src/zoom/operation.js";
import {
  downgrade,
  getUser,
  listUsers,
  relicense,
  removeUser,
  setStatus,
  signOut,
} from "../../src/zoom/operations/index.js";
import { createTokenManager } from "../../src/zoom/token-manager.js";
import { createZoomClient, type ZoomClient } from "../../src/zoom/zoom-client.js";

// Every operation end to end over real HTTP: the client sends it to the simulator, and classifyAnswer reads
// the answer. The cases run in order, on one account.

const USERS: SimUser[] = [
  { id: "u-leaver", email: "leaver@example.com", status: "active", role: "member" },
  { id: "u-heir", email: "heir@example.com", status: "active", role: "member" },
  { id: "u-admin", email: "admin@example.com", status: "active", role: "admin" },
  { id: "u-room", email: "room@example.com", status: "active", role: "room" },
  { id: "u-events", email: "events@example.com", status: "active", role: "member", upcomingEvents: true },
  { id: "u-managed", email: "managed@example.com", status: "active", role: "member", managedDomain: true },
  { id: "u-queue", email: "queue@example.com", status: "active", role: "member", callQueueManager: true },
  { id: "u-stuck", email: "stuck@example.com", status: "inactive", role: "member", deleteRefused: true },
];

let sim: Simulator;
let client: ZoomClient;
let close: () => Promise<void>;

beforeAll(async () => {
  sim = await startSimulator({ users: USERS });
  const dispatcher = createDispatcher({ connections: 2 });
  const tokens = createTokenManager({
    oauthUrl: sim.oauthUrl,
    accountId: "sim-account",
    clientId: "sim-client",
    clientSecret: "sim-secret",
    dispatcher,
    timeoutMs: 2000,
  });
  client = createZoomClient({ apiUrl: sim.apiUrl, dispatcher, tokens, timeoutMs: 2000 });
  close = async () => {
    await dispatcher.close();
    await sim.close();
  };
});
afterAll(() => close());

async function sendAndRead(operationCall: OperationCall) {
  let written = 0;
  const answer = await client.send(operationCall.request, { written: () => (written += 1) });
  expect(written).toBe(1);
  return { answer, verdict: operationCall.classify(answer, new Date()) };
}

const applied = { kind: "done", value: "applied" };
/** Refused in Zoom's words, with this Zoom code. */
const rejected = (code: number) => ({
  kind: "final",
  outcome: "rejected",
  message: expect.any(String),
  code,
});

describe.sequential("each operation against the simulator", () => {
  it.each([
    { name: "get a member", call: call(getUser, { user: "leaver@example.com" }), verdict: { kind: "done" } },
    {
      name: "get an unknown user: not found, as an answer",
      call: call(getUser, { user: "ghost@example.com" }),
      verdict: { kind: "done", value: { kind: "not_found" } },
    },
    {
      name: "list active users",
      call: call(listUsers, { status: "active", pageSize: 300 }),
      verdict: { kind: "done" },
    },
    { name: "sign out", call: call(signOut, { user: "u-leaver" }), verdict: applied },
    {
      name: "sign out an unknown user",
      call: call(signOut, { user: "ghost" }),
      verdict: { outcome: "not_found" },
    },
    { name: "downgrade", call: call(downgrade, { user: "u-leaver" }), verdict: applied },
    { name: "license again", call: call(relicense, { user: "u-leaver" }), verdict: applied },
    { name: "downgrade an events host", call: call(downgrade, { user: "u-events" }), verdict: rejected(300) },
    {
      name: "deactivate",
      call: call(setStatus, { user: "u-leaver", action: "deactivate" }),
      verdict: applied,
    },
    {
      name: "deactivate an admin",
      call: call(setStatus, { user: "u-admin", action: "deactivate" }),
      verdict: rejected(200),
    },
    {
      name: "disassociate a managed-domain user",
      call: call(removeUser, { user: "u-managed", action: "disassociate" }),
      verdict: rejected(1107),
    },
    {
      name: "delete a call-queue manager",
      call: call(removeUser, { user: "u-queue", action: "delete" }),
      verdict: rejected(1000),
    },
    {
      name: "delete a user Zoom will not delete",
      call: call(removeUser, { user: "u-stuck", action: "delete" }),
      verdict: rejected(200),
    },
    {
      name: "delete with transfers",
      call: call(removeUser, {
        user: "u-leaver",
        action: "delete",
        transferEmail: "heir@example.com",
        transfer: { meeting: true, recording: true, webinar: false },
      }),
      verdict: applied,
    },
    {
      name: "delete again: already gone",
      call: call(removeUser, { user: "u-leaver", action: "delete" }),
      verdict: { kind: "final", outcome: "already" },
    },
  ])("$name", async ({ call: operationCall, verdict: expected }) => {
    const { code, ...rest } = expected as { code?: number };
    const { answer, verdict } = await sendAndRead(operationCall);
    expect(verdict).toMatchObject(rest);
    if (code !== undefined) expect(answer).toMatchObject({ kind: "http", zoomCode: code });
  });

  it("a token without the scopes: refused, and the run stops naming them", async () => {
    const bare = await startSimulator({ users: USERS, scopes: ["user:read:admin"] });
    const dispatcher = createDispatcher({ connections: 1 });
    try {
      const tokens = createTokenManager({
        oauthUrl: bare.oauthUrl,
        accountId: "sim-account",
        clientId: "sim-client",
        clientSecret: "sim-secret",
        dispatcher,
        timeoutMs: 2000,
      });
      const zoom = createZoomClient({ apiUrl: bare.apiUrl, dispatcher, tokens, timeoutMs: 2000 });
      const removal = call(removeUser, { user: "u-heir", action: "disassociate" });
      expect(removal.classify(await zoom.send(removal.request), new Date())).toMatchObject({
        kind: "final",
        outcome: "rejected",
        stopRun: expect.stringContaining("user:delete:user:admin"),
      });
      const lookup = call(getUser, { user: "u-heir" });
      expect(lookup.classify(await zoom.send(lookup.request), new Date())).toMatchObject({ kind: "done" });
    } finally {
      await dispatcher.close();
      await bare.close();
    }
  });
});
