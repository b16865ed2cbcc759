import { randomBytes } from "node:crypto";

export type TokenCheck = "valid" | "expired" | "invalid";

/**
 * Issued access tokens and their expiry. Several can be valid at once (Zoom reports both ways on whether a new
 * token voids older ones; the tool must not depend on it). Tokens are random rather than seeded: they never
 * influence a response, and a guessable token would hide a client that sends the wrong one.
 */
export class TokenStore {
  private readonly expiresAtMs = new Map<string, number>();

  constructor(private readonly lifetimeMs: number) {}

  issue(nowMs: number): string {
    const token = `sim.${randomBytes(24).toString("base64url")}`;
    this.expiresAtMs.set(token, nowMs + this.lifetimeMs);
    this.prune(nowMs);
    return token;
  }

  check(token: string | undefined, nowMs: number): TokenCheck {
    if (token === undefined) return "invalid";
    const expiresAt = this.expiresAtMs.get(token);
    if (expiresAt === undefined) return "invalid";
    return nowMs < expiresAt ? "valid" : "expired";
  }

  /** Every issued token becomes unknown, hence "Invalid access token." on its next use. */
  revokeAll(): void {
    this.expiresAtMs.clear();
  }

  /**
   * Forgets tokens a day past expiry so that a long run with short-lived tokens stays small; until then an
   * expired token still gets the precise "expired" message. Map order is issue order, which is expiry order.
   */
  private prune(nowMs: number): void {
    for (const [token, expiresAt] of this.expiresAtMs) {
      if (expiresAt + 86_400_000 > nowMs) break;
      this.expiresAtMs.delete(token);
    }
  }
}

/** The token from `Authorization: Bearer <token>`, if the header has that shape. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
