import type { IncomingMessage, ServerResponse } from "node:http";

/** What a route answers; the server adds the tracking id and serialises the body as JSON. */
export interface SimReply {
  status: number;
  /** JSON-serialisable; omitted for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** Zoom's error body shape: `{"code": 1001, "message": "..."}`. */
export function zoomError(
  status: number,
  code: number,
  message: string,
  headers?: Record<string, string>,
): SimReply {
  return headers === undefined
    ? { status, body: { code, message } }
    : { status, body: { code, message }, headers };
}

/** Bodies this tool sends are tiny; a cap keeps a misbehaving client from filling memory. */
export const MAX_BODY_BYTES = 1 << 20;

export class BodyTooLargeError extends Error {}

/**
 * Reads the whole request body. Always called, also for answers that ignore the body (401, 429): an unread body
 * left on a keep-alive socket would be parsed as the start of the next request.
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () =>
      size > MAX_BODY_BYTES ? reject(new BodyTooLargeError()) : resolve(Buffer.concat(chunks)),
    );
    req.on("error", reject);
    // Node reports a client hanging up mid-body as an "aborted" error; this also covers any path where it
    // does not, since a pending promise here would hold the user's per-user lock forever.
    req.on("close", () => {
      if (!req.complete) reject(new Error("Request aborted by the client"));
    });
  });
}

export function sendReply(res: ServerResponse, reply: SimReply): void {
  if (reply.headers !== undefined) {
    for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
  }
  if (reply.body === undefined || reply.status === 204) {
    res.writeHead(reply.status);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    "content-type": "application/json;charset=UTF-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
