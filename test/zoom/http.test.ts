import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import * as undici from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { Agent, request } from "../../src/zoom/http.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A loopback server answering with `handler`, and a one-connection pool to it; both go away after the test. */
async function serve(
  handler: RequestListener,
): Promise<{ origin: string; dispatcher: InstanceType<typeof Agent> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const dispatcher = new Agent({ connections: 1 });
  cleanups.push(async () => {
    await dispatcher.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, dispatcher };
}

describe("the parts of undici loaded without its index", () => {
  // If an undici upgrade moves these files, the run must not silently use something else.
  it("are the very Agent and request API the index exports", () => {
    expect(Agent).toBe(undici.Agent);
    expect(request.length).toBe(2);
    const agent = new Agent();
    cleanups.push(() => agent.close());
    expect(agent).toBeInstanceOf(undici.Dispatcher);
    expect(typeof undici.Dispatcher.prototype.request).toBe("function");
  });

  it("send the method, path with query, headers and body to the URL's origin, and hand back the answer", async () => {
    const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];
    const { origin, dispatcher } = await serve((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => {
        body += chunk.toString("utf8");
      });
      req.on("end", () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
        res.writeHead(201, { "content-type": "application/json", "x-seen": "yes" });
        res.end('{"ok":true}');
      });
    });

    const answer = await request(`${origin}/v2/users/a%40b.com/status?x=1`, {
      dispatcher,
      method: "PUT",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: '{"action":"deactivate"}',
    });

    expect(answer.statusCode).toBe(201);
    expect(answer.headers["x-seen"]).toBe("yes");
    expect(await answer.body.json()).toEqual({ ok: true });
    expect(seen).toEqual([
      {
        method: "PUT",
        url: "/v2/users/a%40b.com/status?x=1",
        auth: "Bearer t",
        body: '{"action":"deactivate"}',
      },
    ]);
  });

  it("call onWire once, when the request is written, and still hand back the answer", async () => {
    const events: string[] = [];
    const { origin, dispatcher } = await serve((req, res) => {
      events.push(`server saw ${req.method}`);
      setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end('{"id":"u1"}'), 20);
    });

    const pending = request(`${origin}/v2/users/u1`, {
      dispatcher,
      method: "GET",
      onWire: () => events.push("wire"),
    });
    // Not before the request reaches a connection (a new one here: connecting takes a turn of the loop).
    expect(events).toEqual([]);
    const answer = await pending;
    expect(answer.statusCode).toBe(200);
    expect(await answer.body.json()).toEqual({ id: "u1" });
    expect(events).toEqual(["wire", "server saw GET"]);
  });

  it("with onWire, a deadline still cuts off a body that stops halfway", async () => {
    const { origin, dispatcher } = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"id":');
      // ...and nothing more.
    });
    let wired = 0;

    const answer = await request(`${origin}/v2/users/u1`, {
      dispatcher,
      method: "GET",
      signal: AbortSignal.timeout(100),
      onWire: () => {
        wired += 1;
      },
    });
    await expect(answer.body.text()).rejects.toThrow();
    expect(wired).toBe(1);
  });
});
