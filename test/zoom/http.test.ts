import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { DeadlineError, exchange } from "../../src/zoom/http.js";

/** Real HTTP on loopback: what a mock cannot show (when bytes reach the server, sockets, stalled bodies). */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A loopback server answering with `handler`, and a one-connection pool to it; both go away after the test. */
async function serve(
  handler: RequestListener,
): Promise<{ origin: string; dispatcher: Agent; sockets: () => number }> {
  const server = createServer(handler);
  let sockets = 0;
  server.on("connection", () => {
    sockets += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const dispatcher = new Agent({ connections: 1 });
  cleanups.push(async () => {
    await dispatcher.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, dispatcher, sockets: () => sockets };
}

const GET = (url: string, extra: { timeoutMs?: number; onWritten?: () => void } = {}) => ({
  method: "GET" as const,
  url,
  headers: {},
  timeoutMs: extra.timeoutMs ?? 2000,
  onWritten: extra.onWritten,
});

describe("exchange over real sockets", () => {
  it("sends method, path with query, headers and body to the URL's origin, and reads the whole answer", async () => {
    const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];
    const { origin, dispatcher } = await serve((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => {
        body += chunk.toString("utf8");
      });
      req.on("end", () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
        res.writeHead(201, { "content-type": "application/json", "X-Seen": "yes" });
        res.end('{"ok":true}');
      });
    });

    const answer = await exchange(dispatcher, {
      method: "PUT",
      url: `${origin}/v2/users/a%40b.com/status?x=1`,
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: '{"action":"deactivate"}',
      timeoutMs: 2000,
    });

    expect(answer.status).toBe(201);
    expect(answer.headers["x-seen"]).toBe("yes");
    expect(answer.text).toBe('{"ok":true}');
    expect(seen).toEqual([
      {
        method: "PUT",
        url: "/v2/users/a%40b.com/status?x=1",
        auth: "Bearer t",
        body: '{"action":"deactivate"}',
      },
    ]);
  });

  it("calls onWritten once, when the request is written, before the server sees it", async () => {
    const events: string[] = [];
    const { origin, dispatcher } = await serve((req, res) => {
      events.push(`server saw ${req.method}`);
      setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end('{"id":"u1"}'), 20);
    });

    const pending = exchange(
      dispatcher,
      GET(`${origin}/v2/users/u1`, { onWritten: () => events.push("written") }),
    );
    // Not before the request reaches a connection (a new one here: connecting takes a turn of the loop).
    expect(events).toEqual([]);
    const answer = await pending;
    expect(answer).toMatchObject({ status: 200, text: '{"id":"u1"}' });
    expect(events).toEqual(["written", "server saw GET"]);
  });

  it("never calls onWritten for a request whose deadline passed while it waited for the one socket", async () => {
    const urls: string[] = [];
    const { origin, dispatcher } = await serve((req, res) => {
      urls.push(req.url ?? "");
      // The first request holds the only connection for a while.
      if (req.url === "/slow") setTimeout(() => res.writeHead(204).end(), 300);
      else res.writeHead(204).end();
    });
    let written = 0;
    const onWritten = () => {
      written += 1;
    };

    const slow = exchange(dispatcher, GET(`${origin}/slow`, { onWritten }));
    const queued = exchange(dispatcher, GET(`${origin}/queued`, { timeoutMs: 50, onWritten }));
    await expect(queued).rejects.toBeInstanceOf(DeadlineError);
    expect((await slow).status).toBe(204);
    // The queued one reached the socket after its deadline and was dropped there, unwritten.
    expect((await exchange(dispatcher, GET(`${origin}/after`))).status).toBe(204);
    expect(written).toBe(1);
    expect(urls).toEqual(["/slow", "/after"]);
  });

  it("cuts off a body that stops halfway at the deadline", async () => {
    const { origin, dispatcher } = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"id":');
      // ...and nothing more.
    });
    let written = 0;

    const started = Date.now();
    const pending = exchange(
      dispatcher,
      GET(`${origin}/v2/users/u1`, {
        timeoutMs: 100,
        onWritten: () => {
          written += 1;
        },
      }),
    );
    await expect(pending).rejects.toMatchObject({ name: "TimeoutError", code: "TIMEOUT" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(written).toBe(1);
  });

  it("cuts off a server that never answers at the deadline", async () => {
    const { origin, dispatcher } = await serve(() => {});
    await expect(exchange(dispatcher, GET(`${origin}/x`, { timeoutMs: 50 }))).rejects.toBeInstanceOf(
      DeadlineError,
    );
  });

  it("reads every body to the end, so one keep-alive socket serves request after request", async () => {
    const { origin, dispatcher, sockets } = await serve((req, res) => {
      if (req.url === "/empty") res.writeHead(204).end();
      else res.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(100_000));
    });
    for (const path of ["/big", "/empty", "/big", "/empty"]) {
      expect((await exchange(dispatcher, GET(`${origin}${path}`))).status).toBeGreaterThanOrEqual(200);
    }
    expect(sockets()).toBe(1);
  });

  it("rejects a connection dropped before the answer", async () => {
    const { origin, dispatcher } = await serve((req) => req.socket.destroy());
    await expect(exchange(dispatcher, GET(`${origin}/x`))).rejects.toMatchObject({
      code: expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET)$/),
    });
  });
});
