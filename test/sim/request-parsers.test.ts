import { describe, expect, it } from "vitest";
import { classify } from "../../src/sim/api-routes.js";
import { parseDeleteQuery } from "../../src/sim/routes/delete-user.js";
import { parseUpdateBody } from "../../src/sim/routes/update-body.js";

describe("classify", () => {
  it.each([
    { method: "GET", path: "/v2/users", route: "list_users", label: "Medium", user: undefined },
    { method: "GET", path: "/v2/users/", route: "list_users", label: "Medium", user: undefined },
    { method: "GET", path: "/v2/users/a%40b.com", route: "get_user", label: "Light", user: "a@b.com" },
    { method: "PATCH", path: "/v2/users/u1", route: "update_user", label: "Light", user: "u1" },
    { method: "DELETE", path: "/v2/users/u1", route: "delete_user", label: "Light", user: "u1" },
    { method: "PUT", path: "/v2/users/u1/status", route: "put_status", label: "Light", user: "u1" },
    { method: "DELETE", path: "/v2/users/u1/token", route: "sign_out", label: "Light", user: "u1" },
    { method: "GET", path: "/v2/users/a%2Fb", route: "get_user", label: "Light", user: "a/b" },
    { method: "GET", path: "/v2/users/u1/", route: "other", label: undefined, user: undefined },
    { method: "GET", path: "/v2/users/u1/token", route: "other", label: undefined, user: undefined },
    { method: "DELETE", path: "/v2/users/u1/status", route: "other", label: undefined, user: undefined },
    { method: "PUT", path: "/v2/users/u1/status/x", route: "other", label: undefined, user: undefined },
    { method: "POST", path: "/v2/users/u1", route: "other", label: undefined, user: undefined },
    { method: "DELETE", path: "/v2/users", route: "other", label: undefined, user: undefined },
  ])("$method $path → $route", ({ method, path, route, label, user }) => {
    expect(classify(method, path)).toEqual({ route, label, userValue: user });
  });
});

describe("parseDeleteQuery", () => {
  it.each([
    { query: "", action: "disassociate", email: undefined, transfer: [] },
    { query: "action=delete", action: "delete", email: undefined, transfer: [] },
    { query: "transfer_email=", action: "disassociate", email: undefined, transfer: [] },
    {
      query: "transfer_email=h%40x.com&transfer_meeting=true&transfer_recording=false&transfer_docs=true",
      action: "disassociate",
      email: "h@x.com",
      transfer: ["meetings", "docs"],
    },
    {
      query: "encrypted_email=false&transfer_visitors=true",
      action: "disassociate",
      email: undefined,
      transfer: ["visitors"],
    },
  ])("$query", ({ query, action, email, transfer }) => {
    const parsed = parseDeleteQuery(query);
    expect(parsed.ok && parsed.params).toEqual({ action, transferEmail: email, transfer: new Set(transfer) });
  });

  it.each([
    { query: "transfer_meetings=true", field: "transfer_meetings" },
    { query: "transfer_recordings=true", field: "transfer_recordings" },
    { query: "action=remove", field: "action" },
    { query: "action=delete&action=delete", field: "action" },
    { query: "transfer_meeting=1", field: "transfer_meeting" },
    { query: "transfer_meeting=TRUE", field: "transfer_meeting" },
    { query: "encrypted_email=", field: "encrypted_email" },
  ])("$query → 400 code 300 naming $field", ({ query, field }) => {
    const parsed = parseDeleteQuery(query);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.reply).toEqual({ status: 400, body: { code: 300, message: `Invalid field: ${field}.` } });
  });
});

describe("parseUpdateBody", () => {
  const json = "application/json; charset=utf-8";
  it.each([
    { type: json, body: "", result: { ok: true, type: undefined } },
    { type: undefined, body: "", result: { ok: true, type: undefined } },
    { type: json, body: '{"type":1}', result: { ok: true, type: 1 } },
    {
      type: json,
      body: '{"type":4,"dept":"HR","feature":{"zoom_phone":false}}',
      result: { ok: true, type: 4 },
    },
    { type: json, body: '{"constructor":1,"toString":"x"}', result: { ok: true, type: undefined } },
    {
      type: json,
      body: '{"host_key":"123456","pmi":1234567890,"use_pmi":true}',
      result: { ok: true, type: undefined },
    },
  ])("$body → ok", ({ type, body, result }) => {
    expect(parseUpdateBody(type, Buffer.from(body))).toEqual(result);
  });

  it.each([
    { body: '{"type":2.5}', field: "type" },
    { body: '{"type":null}', field: "type" },
    { body: '{"host_key":"12345"}', field: "host_key" },
    { body: '{"pmi":"1234567890"}', field: "pmi" },
    { body: '{"use_pmi":"true"}', field: "use_pmi" },
    { body: '{"phone_numbers":[{},{},{},{}]}', field: "phone_numbers" },
    { body: '{"feature":[]}', field: "feature" },
    { body: '{"pronouns_option":4}', field: "pronouns_option" },
    { body: "null", field: "request body (expected an object)" },
  ])("$body → Invalid field: $field", ({ body, field }) => {
    expect(parseUpdateBody(json, Buffer.from(body))).toEqual({
      ok: false,
      reply: { status: 400, body: { code: 300, message: `Invalid field: ${field}.` } },
    });
  });
});
