import type { SimReply } from "../http.js";
import type { TokenStore } from "../tokens.js";

export interface OAuthCredentials {
  accountId: string;
  clientId: string;
  clientSecret: string;
}

export interface TokenRequest {
  authorization: string | undefined;
  body: Buffer;
}

/** Zoom answers every credential problem (client, secret, account, grant) with this one body. */
const INVALID_CLIENT: SimReply = {
  status: 400,
  body: { reason: "Invalid client_id or client_secret", error: "invalid_client" },
};

export const TOKEN_OUTAGE: SimReply = {
  status: 503,
  body: { reason: "Service temporarily unavailable", error: "temporarily_unavailable" },
};

/**
 * Server-to-Server OAuth: `grant_type=account_credentials&account_id=…` as a form body (not the query string,
 * which Zoom has been seen to refuse) and `Authorization: Basic base64(clientId:clientSecret)`.
 */
export function issueToken(
  request: TokenRequest,
  credentials: OAuthCredentials,
  tokens: TokenStore,
  lifetimeSec: number,
  apiBaseUrl: string,
  nowMs: number,
  scopes: readonly string[],
): SimReply {
  const form = new URLSearchParams(request.body.toString("utf8"));
  const expectedBasic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString("base64");
  const basic = /^Basic\s+(\S+)\s*$/i.exec(request.authorization ?? "")?.[1];
  if (
    basic !== expectedBasic ||
    form.get("grant_type") !== "account_credentials" ||
    form.get("account_id") !== credentials.accountId
  ) {
    return INVALID_CLIENT;
  }
  return {
    status: 200,
    body: {
      access_token: tokens.issue(nowMs),
      token_type: "bearer",
      expires_in: lifetimeSec,
      scope: scopes.join(" "),
      api_url: apiBaseUrl,
    },
  };
}
