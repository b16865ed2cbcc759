import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../src/zoom/call.js";
import type { OperationCall, OperationInfo } from "../../src/zoom/operation.js";
import {
  downgrade,
  getUser,
  listUsers,
  OPERATIONS,
  type RemoveUserInput,
  relicense,
  removeUser,
  setStatus,
  signOut,
  TRANSFER_ITEMS,
} from "../../src/zoom/operations/index.js";
import { createZoomClient } from "../../src/zoom/zoom-client.js";
import { loadZoomSpec, type SpecRequest, USERS_OPENAPI_PATH, type ZoomSpec } from "../helpers/openapi.js";
import { mockOrigin, record, type SeenRequest } from "./mock-zoom.js";

// Every request each operation builds, as the client puts it on the wire, checked against Zoom's own OpenAPI
// description of the Users operations (test/zoom/users-openapi.json): method, path, query parameters and their
// types, content type, body schema, and the bearer token. And what each operation says about itself (scopes,
// rate-limit label) against the same description.

interface SpecOperation {
  operationId: string;
  description?: string;
  "x-extensions"?: { "x-granular-scopes"?: string[]; "x-macro-scopes"?: string[] };
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
}
const document = JSON.parse(readFileSync(USERS_OPENAPI_PATH, "utf8")) as {
  servers: { url: string }[];
  paths: Record<string, Record<string, SpecOperation>>;
};
const specOperations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
const specOperation = (operationId: string): SpecOperation => {
  const found = specOperations.find((op) => op.operationId === operationId);
  if (found === undefined) throw new Error(`no ${operationId} in Zoom's description`);
  return found;
};

/** Which of Zoom's operations each of ours is. */
const OPERATION_IDS = new Map<OperationInfo, string>([
  [setStatus, "userStatus"],
  [getUser, "user"],
  [listUsers, "users"],
  [signOut, "userSSOTokenDelete"],
  [downgrade, "userUpdate"],
  [relicense, "userUpdate"],
  [removeUser, "userDelete"],
]);

let spec: ZoomSpec;
let seen: SeenRequest[];
let close: () => Promise<void>;
let send: (request: OperationCall["request"]) => Promise<unknown>;

beforeAll(async () => {
  spec = await loadZoomSpec();
  const { agent, pool } = mockOrigin("https://api.zoom.us");
  close = () => agent.close();
  seen = record(pool, { path: () => true, method: () => true }, () => ({ statusCode: 204 }));
  const client = createZoomClient({
    apiUrl: document.servers[0]?.url ?? "https://api.zoom.us/v2",
    dispatcher: agent,
    tokens: { getToken: async () => "tok", invalidate: () => {}, refreshCount: 0 },
    timeoutMs: 1000,
  });
  send = (request) => client.send(request);
});
afterAll(() => close());

/** The request as the client sent it, in the checker's terms. */
async function onTheWire(request: OperationCall["request"]): Promise<SpecRequest> {
  const before = seen.length;
  await send(request);
  expect(seen).toHaveLength(before + 1);
  const wire = seen[before] as SeenRequest;
  return {
    method: wire.method,
    path: wire.path,
    headers: wire.headers,
    body: wire.body === undefined ? undefined : (JSON.parse(wire.body) as unknown),
  };
}

/** openapi-backend lets unknown body fields through; a field Zoom does not document is a mistake here. */
function undeclaredBodyFields(operationId: string, body: unknown): string[] {
  const properties = specOperation(operationId).requestBody?.content["application/json"]?.schema.properties;
  if (body === undefined || properties === undefined) return [];
  return Object.keys(body as object).filter((field) => !(field in properties));
}

async function expectConforms(operationCall: OperationCall): Promise<void> {
  const wire = await onTheWire(operationCall.request);
  const operationId = OPERATION_IDS.get(operationCall.operation);
  expect(spec.operationId(wire), `${wire.method} ${wire.path}`).toBe(operationId);
  expect(spec.validateRequest(wire)).toEqual([]);
  expect(undeclaredBodyFields(operationId ?? "", wire.body)).toEqual([]);
}

const USERS = ["jo@example.com", "a+b@example.com", "KdYKjnimT4KPd8FFgQt9FQ", "a/b?c#d"];
const EACH_FLAG = TRANSFER_ITEMS.flatMap((item) => [true, false].map((value) => ({ [item]: value })));
const REMOVALS: RemoveUserInput[] = (["delete", "disassociate"] as const).flatMap((action) => [
  { user: "jo@example.com", action },
  { user: "jo@example.com", action, transferEmail: "heir@example.com" },
  ...EACH_FLAG.map((transfer) => ({
    user: "jo@example.com",
    action,
    transferEmail: "heir@example.com",
    transfer,
  })),
  {
    user: "jo@example.com",
    action,
    transferEmail: "heir@example.com",
    transfer: Object.fromEntries(TRANSFER_ITEMS.map((item) => [item, true])),
  },
]);

const CALLS: { name: string; call: OperationCall }[] = [
  ...USERS.flatMap((user) =>
    (["activate", "deactivate"] as const).map((action) => ({
      name: `set status ${action} ${user}`,
      call: call(setStatus, { user, action }),
    })),
  ),
  ...USERS.map((user) => ({ name: `get user ${user}`, call: call(getUser, { user }) })),
  ...(["active", "inactive", "pending"] as const).flatMap((status) => [
    { name: `list ${status}, first page`, call: call(listUsers, { status, pageSize: 300 }) },
    {
      name: `list ${status}, next page`,
      call: call(listUsers, { status, pageSize: 300, nextPageToken: "IAfJX3jsOLW7w3dokmFl84zOa0MAVGyMEB2" }),
    },
  ]),
  ...USERS.map((user) => ({ name: `sign out ${user}`, call: call(signOut, { user }) })),
  ...USERS.map((user) => ({ name: `downgrade ${user}`, call: call(downgrade, { user }) })),
  { name: "license again", call: call(relicense, { user: "jo@example.com" }) },
  ...REMOVALS.map((input) => ({ name: `remove ${JSON.stringify(input)}`, call: call(removeUser, input) })),
];

describe("every request conforms to Zoom's OpenAPI description", () => {
  it("the description is the one with the six operations of an offboarding", () => {
    expect(spec.operationIds().sort()).toEqual(
      ["user", "userDelete", "userSSOTokenDelete", "userStatus", "userUpdate", "users"].sort(),
    );
    expect(new Set(OPERATION_IDS.values()).size).toBe(6);
  });

  it.each(CALLS)("$name", async ({ call: operationCall }) => {
    await expectConforms(operationCall);
  });

  const UNDOS = CALLS.flatMap(({ name, call: operationCall }) => {
    const reverse = operationCall.reverse();
    return reverse === undefined ? [] : [{ name, reverse }];
  });

  it("the reversible operations are the status change and the user type", () => {
    expect(new Set(UNDOS.map(({ reverse }) => reverse.operation))).toEqual(
      new Set([setStatus, relicense, downgrade]),
    );
  });

  it.each(UNDOS)("the undo of $name", async ({ reverse }) => {
    await expectConforms(reverse);
  });

  it("any choice of transfers and target conforms", async () => {
    const transfer = fc.dictionary(fc.constantFrom(...TRANSFER_ITEMS), fc.boolean(), { maxKeys: 8 });
    const input = fc.record(
      {
        user: fc.oneof(fc.emailAddress(), fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)),
        action: fc.constantFrom("delete" as const, "disassociate" as const),
        transferEmail: fc.emailAddress(),
        transfer,
      },
      { requiredKeys: ["user", "action"] },
    );
    await fc.assert(
      fc.asyncProperty(input, async (removal) => {
        await expectConforms(call(removeUser, removal));
      }),
      { numRuns: 200 },
    );
  });

  it("the check itself refuses what Zoom does not document", async () => {
    // Plural flags, as one widely used client sends them, and a body field that is not Zoom's.
    const plural = await onTheWire({
      method: "DELETE",
      path: "/users/u1",
      query: { transfer_meetings: "true" },
    });
    expect(spec.validateRequest(plural).join()).toMatch(/transfer_meetings/);
    const notBoolean = await onTheWire({
      method: "DELETE",
      path: "/users/u1",
      query: { transfer_docs: "yes" },
    });
    expect(spec.validateRequest(notBoolean).join()).toMatch(/transfer_docs/);
    expect(undeclaredBodyFields("userStatus", { action: "deactivate", reason: "left" })).toEqual(["reason"]);
  });
});

describe("what each operation says about itself matches Zoom's description", () => {
  it.each(OPERATIONS.map((operation) => ({ operation, name: operation.name })))("$name", ({ operation }) => {
    const described = specOperation(OPERATION_IDS.get(operation) ?? "");
    const extensions = described["x-extensions"] ?? {};
    // Account-level scopes only, granular first: user-level ones act on the app's own user.
    const accountLevel = (scopes: string[] = []) => scopes.filter((scope) => scope.endsWith(":admin"));
    expect(operation.scopes).toEqual([
      ...accountLevel(extensions["x-granular-scopes"]),
      ...accountLevel(extensions["x-macro-scopes"]),
    ]);
    const label = /Rate Limit Label\]\([^)]*\):\*\* `(\w+)`/.exec(described.description ?? "")?.[1];
    expect(label).toBe(operation.label.toUpperCase());
  });
});
