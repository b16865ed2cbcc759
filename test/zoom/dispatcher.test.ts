import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Dispatcher } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { createDispatcher } from "../../src/zoom/dispatcher.js";
import { getUser, setStatus } from "../../src/zoom/operations/index.js";
import type { TokenManager } from "../../src/zoom/token-manager.js";
import { createZoomClient } from "../../src/zoom/zoom-client.js";

/** Real HTTP on loopback: what MockAgent cannot show (sockets, resets, refusals). */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; server: Server; sockets: Set<unknown> }> {
  const server = createServer(handler);
  const sockets = new Set<unknown>();
  server.on("connection", (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${port}`, server, sockets };
}

function dispatcher(connections: number): Dispatcher {
  const agent = createDispatcher({ connections });
  cleanups.push(() => agent.destroy());
  return agent;
}

const tokens: TokenManager = { getToken: async () => "tok", invalidate: () => {}, refreshCount: 0 };

describe("createDispatcher", () => {
  it.each([0, -1, 1.5, Number.NaN])("refuses connections = %s", (connections) => {
    expect(() => createDispatcher({ connections })).toThrow(/connections/);
  });

  it("bounds the sockets per origin and keeps them alive between requests", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const { url, sockets } = await listen((_req, res) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        res.writeHead(204).end();
      }, 20);
    });
    const client = createZoomClient({
      apiUrl: `${url}/v2`,
      dispatcher: dispatcher(2),
      tokens,
      timeoutMs: 2000,
    });
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        client.send(setStatus.request({ user: `u${i}`, action: "deactivate" })),
      ),
    );
    expect(answers.filter((a) => !(a.kind === "http" && a.status === 204))).toEqual([]);
    await client.send(setStatus.request({ user: "again", action: "activate" }));
    expect(maxInFlight).toBeLessThanOrEqual(2);
    expect(sockets.size).toBe(2);
  });
});

describe("network failures over real sockets", () => {
  it("a refused connection → ECONNREFUSED", async () => {
    const { url, server } = await listen(() => {});
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = createZoomClient({
      apiUrl: `${url}/v2`,
      dispatcher: dispatcher(1),
      tokens,
      timeoutMs: 2000,
    });
    expect(await client.send(setStatus.request({ user: "u1", action: "deactivate" }))).toMatchObject({
      kind: "network",
      errorCode: "ECONNREFUSED",
    });
  });

  it("a connection dropped before the answer → network", async () => {
    const { url } = await listen((req) => req.socket.destroy());
    const client = createZoomClient({
      apiUrl: `${url}/v2`,
      dispatcher: dispatcher(1),
      tokens,
      timeoutMs: 2000,
    });
    const answer = await client.send(setStatus.request({ user: "u1", action: "deactivate" }));
    expect(answer.kind).toBe("network");
    if (answer.kind === "network") expect(["UND_ERR_SOCKET", "ECONNRESET"]).toContain(answer.errorCode);
  });

  it("a body cut off halfway → network", async () => {
    const { url } = await listen((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"id":');
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const client = createZoomClient({
      apiUrl: `${url}/v2`,
      dispatcher: dispatcher(1),
      tokens,
      timeoutMs: 2000,
    });
    expect((await client.send(getUser.request({ user: "u1" }))).kind).toBe("network");
  });

  it("a server that never answers → TIMEOUT within the deadline", async () => {
    const { url } = await listen(() => {});
    const client = createZoomClient({
      apiUrl: `${url}/v2`,
      dispatcher: dispatcher(1),
      tokens,
      timeoutMs: 50,
    });
    const started = Date.now();
    expect(await client.send(setStatus.request({ user: "u1", action: "deactivate" }))).toMatchObject({
      kind: "network",
      errorCode: "TIMEOUT",
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
