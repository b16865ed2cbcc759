import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parseDeleteQuery } from "../../src/sim/routes/delete-user.js";
import { parseUpdateBody, UPDATE_FIELDS } from "../../src/sim/routes/update-body.js";
import { ROUTE_SCOPES } from "../../src/sim/scopes.js";
import type { SimApiRoute } from "../../src/sim/server.js";
import { loadZoomSpec, USERS_OPENAPI_PATH, type ZoomSpec } from "../helpers/openapi.js";

// The simulator's own tables (scopes per operation, the fields of a user update) against Zoom's description, and
// its verdict on request shapes against the description's: where they disagree, the simulator has drifted.

interface RawOperation {
  operationId: string;
  "x-extensions"?: { "x-macro-scopes"?: string[]; "x-granular-scopes"?: string[] };
  requestBody?: {
    content: { "application/json": { schema: { properties: Record<string, Record<string, unknown>> } } };
  };
}
const raw = JSON.parse(readFileSync(USERS_OPENAPI_PATH, "utf8")) as {
  paths: Record<string, Record<string, RawOperation>>;
};
const operations = Object.values(raw.paths).flatMap((methods) => Object.values(methods));
const operation = (id: string): RawOperation => {
  const found = operations.find((op) => op.operationId === id);
  if (found === undefined) throw new Error(`no operation ${id}`);
  return found;
};

const OPERATION_IDS: Record<SimApiRoute, string> = {
  get_user: "user",
  list_users: "users",
  put_status: "userStatus",
  sign_out: "userSSOTokenDelete",
  update_user: "userUpdate",
  delete_user: "userDelete",
};

let spec: ZoomSpec;
beforeAll(async () => {
  spec = await loadZoomSpec();
});

describe("ROUTE_SCOPES", () => {
  it("covers the description's six operations", () => {
    expect(Object.values(OPERATION_IDS).sort()).toEqual(spec.operationIds().sort());
  });

  it.each(Object.entries(OPERATION_IDS) as [SimApiRoute, string][])(
    "%s holds the account-level scopes Zoom lists for %s",
    (route, id) => {
      const extensions = operation(id)["x-extensions"] ?? {};
      const admin = (scopes: string[] = []) => scopes.filter((scope) => scope.endsWith(":admin")).sort();
      expect([...ROUTE_SCOPES[route].granular].sort()).toEqual(admin(extensions["x-granular-scopes"]));
      expect([...ROUTE_SCOPES[route].classic].sort()).toEqual(admin(extensions["x-macro-scopes"]));
    },
  );
});

describe("UPDATE_FIELDS", () => {
  const properties = operation("userUpdate").requestBody?.content["application/json"].schema.properties ?? {};

  it("lists exactly the body's fields", () => {
    expect(Object.keys(UPDATE_FIELDS).sort()).toEqual(Object.keys(properties).sort());
  });

  it.each(Object.keys(properties))("%s has the schema's type, limits and enum", (name) => {
    const property = properties[name] ?? {};
    const rule = UPDATE_FIELDS[name];
    expect(rule?.type).toBe(property.type);
    // JSON Schema applies length limits to strings only (Zoom puts some on the integer `pmi`).
    if (property.type === "string") {
      expect(rule?.maxLength).toBe(property.maxLength);
      expect(rule?.minLength).toBe(property.minLength);
    }
    expect(rule?.maxItems).toBe(property.maxItems);
    expect(rule?.enum).toEqual(property.enum);
  });
});

describe("the simulator refuses the requests Zoom's description refuses", () => {
  it.each([
    {},
    { type: 1 },
    { type: 99 },
    { type: 0 },
    { type: "2" },
    { type: 1.5 },
    { pronouns_option: 3 },
    { pronouns_option: 0 },
    { plan_united_type: "none" },
    { plan_united_type: "3" },
    { zoom_one_type: 16 },
    { zoom_one_type: 17 },
    { host_key: "12345" },
    { host_key: "1234567890" },
    { host_key: "12345678901" },
    { company: "x".repeat(255) },
    { company: "x".repeat(256) },
    { phone_numbers: [{}, {}, {}] },
    { phone_numbers: [{}, {}, {}, {}] },
    { feature: { zoom_phone: true } },
    { feature: "on" },
    { use_pmi: false },
    { use_pmi: 0 },
    { manager: "boss@example.com", not_in_schema: { any: "thing" } },
  ])("PATCH body %j", (body) => {
    const request = {
      method: "PATCH",
      path: "/v2/users/u1",
      headers: { "content-type": "application/json" },
      body,
    };
    const allowed = spec.validateRequest({
      ...request,
      headers: { ...request.headers, authorization: "Bearer t" },
    });
    const parsed = parseUpdateBody("application/json", Buffer.from(JSON.stringify(body)));
    expect(parsed.ok, allowed.join("; ")).toBe(allowed.length === 0);
  });

  it.each([
    "",
    "action=delete",
    "action=disassociate&transfer_email=a%40b.com&transfer_meeting=true&transfer_docs=false",
    "encrypted_email=true",
    "action=erase",
    "transfer_meetings=true",
    "transfer_recordings=true",
    "transfer_webinar=maybe",
    "transfer_meeting=1",
    "force=true",
  ])("DELETE query %j", (query) => {
    const allowed = spec.validateRequest({
      method: "DELETE",
      path: "/v2/users/u1",
      query,
      headers: { authorization: "Bearer t" },
    });
    expect(parseDeleteQuery(query).ok, allowed.join("; ")).toBe(allowed.length === 0);
  });
});
