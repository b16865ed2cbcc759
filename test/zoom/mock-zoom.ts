import { type Interceptable, MockAgent } from "undici";

type Match = Parameters<Interceptable["intercept"]>[0];

/** A request as the mock saw it, with header names lower-cased. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface Reply {
  statusCode: number;
  data?: string | object;
  headers?: Record<string, string>;
}

/** A MockAgent that refuses real network access, and the mock pool for one origin. */
export function mockOrigin(origin: string): { agent: MockAgent; pool: Interceptable } {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return { agent, pool: agent.get(origin) };
}

/** Answer every request matching `path`/`method` with `respond`, recording what was sent. */
export function record(
  pool: Interceptable,
  match: Match,
  respond: (seen: SeenRequest, index: number) => Reply,
): SeenRequest[] {
  const seen: SeenRequest[] = [];
  pool
    .intercept(match)
    .reply((opts) => {
      const request: SeenRequest = {
        method: opts.method,
        path: opts.path,
        headers: lowerCase(opts.headers),
        body: typeof opts.body === "string" ? opts.body : undefined,
      };
      seen.push(request);
      const reply = respond(request, seen.length - 1);
      return {
        statusCode: reply.statusCode,
        data: reply.data ?? "",
        responseOptions: { headers: reply.headers ?? {} },
      };
    })
    .persist();
  return seen;
}

function lowerCase(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof headers !== "object" || headers === null) return out;
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of entries) out[name.toLowerCase()] = String(value);
  return out;
}
