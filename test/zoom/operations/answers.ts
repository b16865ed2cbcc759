import { httpAnswer, type RawHeaders, type ZoomAnswer } from "../../../src/zoom/answer.js";

export const NOW = new Date("2026-11-30T18:00:00.000Z");

/** An answer as the client builds it from the wire: status, headers and a raw body (JSON unless a string). */
export function http(status: number, body: unknown = undefined, headers: RawHeaders = {}): ZoomAnswer {
  const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
  return httpAnswer(status, headers, text);
}

/** Zoom's error body. */
export const zoomError = (status: number, code: number, message?: string): ZoomAnswer =>
  http(status, message === undefined ? { code } : { code, message });
