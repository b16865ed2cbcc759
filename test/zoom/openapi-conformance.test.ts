import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { createZoomClient, type ZoomClient } from "../../src/zoom/zoom-client.js";
import { mockOrigin, record, type SeenRequest } from "./mock-zoom.js";

// Zoom's own OpenAPI description of the operations of an offboarding (a copy of Zoom's Users OpenAPI, trimmed).
// Every request the client can make must match an operation there: method, path template, query parameters,
// content type and body schema.
interface Schema {
  type?: string;
  required?: string[];
  properties?: Record<string, Schema & { enum?: string[] }>;
}
interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
}
const spec = JSON.parse(readFileSync(new URL("./users-openapi.json", import.meta.url), "utf8")) as {
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
};

function findOperation(request: SeenRequest): { template: string; operation: Operation } {
  const url = new URL(request.path, "https://api.zoom.us");
  const path = url.pathname.replace(/^\/v2/, "");
  for (const [template, operations] of Object.entries(spec.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    const operation = operations[request.method.toLowerCase()];
    if (pattern.test(path) && operation !== undefined) return { template, operation };
  }
  throw new Error(`${request.method} ${path} is not an operation in Zoom's OpenAPI description`);
}

function checkAgainstSpec(request: SeenRequest): string {
  const { template, operation } = findOperation(request);
  const url = new URL(request.path, "https://api.zoom.us");
  const declared = new Set((operation.parameters ?? []).map((p) => `${p.in}:${p.name}`));
  for (const name of url.searchParams.keys()) expect(declared, `query ${name}`).toContain(`query:${name}`);
  for (const p of operation.parameters ?? []) {
    if (p.in === "query" && p.required === true) expect(url.searchParams.has(p.name)).toBe(true);
  }
  if (operation.requestBody !== undefined) {
    const contentType = request.headers["content-type"]?.split(";")[0] ?? "";
    const media = operation.requestBody.content[contentType];
    expect(media, `content type ${contentType}`).toBeDefined();
    const body = JSON.parse(request.body ?? "null") as Record<string, unknown>;
    const schema = media?.schema ?? {};
    for (const field of schema.required ?? []) expect(body).toHaveProperty(field);
    for (const [field, value] of Object.entries(body)) {
      const property = schema.properties?.[field];
      expect(property, `body field ${field}`).toBeDefined();
      if (property?.enum !== undefined) expect(property.enum).toContain(value);
    }
  } else {
    expect(request.body ?? "").toBe("");
  }
  return template;
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
});

function client(): { client: ZoomClient; seen: SeenRequest[] } {
  const { agent, pool } = mockOrigin("https://api.zoom.us");
  close = () => agent.close();
  const seen = record(pool, { path: () => true, method: () => true }, () => ({ statusCode: 200, data: {} }));
  return {
    seen,
    client: createZoomClient({
      apiUrl: spec.servers[0]?.url ?? "https://api.zoom.us/v2",
      dispatcher: agent,
      tokens: { getToken: async () => "tok", invalidate: () => {}, refreshCount: 0 },
      timeoutMs: 1000,
    }),
  };
}

describe("requests conform to Zoom's OpenAPI description", () => {
  it("the spec copy is the one with the six operations of an offboarding", () => {
    const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual([
      "DELETE /users/{userId}",
      "DELETE /users/{userId}/token",
      "GET /users",
      "GET /users/{userId}",
      "PATCH /users/{userId}",
      "PUT /users/{userId}/status",
    ]);
  });

  it.each(["activate", "deactivate"] as const)("setStatus %s", async (action) => {
    const { client: zoom, seen } = client();
    await zoom.setStatus("a+b@example.com", action);
    expect(checkAgainstSpec(seen[0] as SeenRequest)).toBe("/users/{userId}/status");
  });

  it("getUser", async () => {
    const { client: zoom, seen } = client();
    await zoom.getUser("KdYKjnimT4KPd8FFgQt9FQ");
    expect(checkAgainstSpec(seen[0] as SeenRequest)).toBe("/users/{userId}");
  });

  it.each(["active", "inactive", "pending"] as const)("listUsers %s, first and next page", async (status) => {
    const { client: zoom, seen } = client();
    await zoom.listUsers({ status, pageSize: 300 });
    await zoom.listUsers({ status, pageSize: 300, nextPageToken: "abc" });
    expect(seen.map(checkAgainstSpec)).toEqual(["/users", "/users"]);
  });
});
