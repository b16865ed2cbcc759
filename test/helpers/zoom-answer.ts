import type { ZoomAnswer } from "../../src/zoom/zoom-client.js";

/** An HTTP answer as the client hands it over, every header-derived field absent unless given. */
export const httpAnswer = (
  status: number,
  body: unknown,
  extra: Partial<Extract<ZoomAnswer, { kind: "http" }>> = {},
): ZoomAnswer => ({
  kind: "http",
  status,
  zoomCode: undefined,
  message: undefined,
  body,
  rateLimitType: undefined,
  rateLimitCategory: undefined,
  rateLimitRemaining: undefined,
  retryAfter: undefined,
  trackingId: undefined,
  ...extra,
});
