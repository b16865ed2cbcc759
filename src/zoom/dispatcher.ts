/**
 * The one connection pool of a run, shared by the API and the token endpoint: keep-alive, one pool.
 * Passed to every request explicitly, never installed as undici's global dispatcher.
 */
import { Agent, type Dispatcher } from "undici";

/**
 * Idle sockets are kept a little longer than undici's 4 s default: at a few requests per second they are reused
 * instead of reopened (a TLS handshake each time). Zoom's keep-alive hint, when sent, still caps this.
 */
const KEEP_ALIVE_MS = 10_000;

export function createDispatcher(options: { connections: number }): Dispatcher {
  const { connections } = options;
  if (!Number.isInteger(connections) || connections < 1) {
    throw new TypeError(`Expected \`connections\` to be an integer >= 1, got \`${String(connections)}\``);
  }
  return new Agent({
    // Bounded per origin, so in-flight requests never open more sockets than the concurrency we asked for.
    connections,
    // No pipelining: a slow or failed response would hold up (or take down) the requests queued behind it.
    pipelining: 1,
    keepAliveTimeout: KEEP_ALIVE_MS,
    keepAliveMaxTimeout: 60_000,
  });
}
