import { OffboardError } from "../domain/errors.js";

/** Flag value parsers with messages in one style: Expected `--rps` to be a number > 0, got `abc`. */
export function positiveNumber(flag: string, value: string): number {
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number <= 0) {
    throw new OffboardError("USAGE", `Expected \`${flag}\` to be a number > 0, got \`${value}\``);
  }
  return number;
}

export function positiveInteger(flag: string, value: string): number {
  const number = Number(value);
  if (value.trim() === "" || !Number.isInteger(number) || number < 1) {
    throw new OffboardError("USAGE", `Expected \`${flag}\` to be an integer >= 1, got \`${value}\``);
  }
  return number;
}

export function wholeNumber(flag: string, value: string): number {
  const number = Number(value);
  if (value.trim() === "" || !Number.isInteger(number) || number < 0) {
    throw new OffboardError("USAGE", `Expected \`${flag}\` to be an integer >= 0, got \`${value}\``);
  }
  return number;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as `90m`, `24h` or `2d`, in milliseconds. */
export function duration(flag: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)([mhd])$/.exec(value.trim());
  const amount = match === null ? Number.NaN : Number(match[1]);
  const unit = match === null ? undefined : DURATION_UNITS[match[2] ?? ""];
  if (unit === undefined || !(amount > 0)) {
    throw new OffboardError(
      "USAGE",
      `Expected \`${flag}\` to be a duration such as 90m, 24h or 2d, got \`${value}\``,
    );
  }
  return amount * unit;
}

export function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  const lower = value.trim().toLowerCase();
  const found = allowed.find((candidate) => candidate === lower);
  if (found === undefined) {
    throw new OffboardError(
      "USAGE",
      `Expected \`${flag}\` to be one of ${allowed.join(", ")}, got \`${value}\``,
    );
  }
  return found;
}

/**
 * An https URL, or plain http to a loopback host (the simulator). Anywhere else plain http would carry the client
 * secret (Basic auth) and every bearer token across the network in clear text.
 */
export function httpsUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OffboardError("USAGE", `Expected \`${flag}\` to be an https:// URL, got \`${value}\``);
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new OffboardError(
      "USAGE",
      `Expected \`${flag}\` to use https://, got \`${value}\`: plain http:// would send the client secret and tokens ` +
        "unencrypted, so it is allowed only for loopback hosts (localhost, 127.0.0.0/8, [::1]), such as the simulator",
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new OffboardError("USAGE", `Expected \`${flag}\` to be an https:// URL, got \`${value}\``);
  }
  return value.replace(/\/+$/, "");
}

/** `localhost`, 127.0.0.0/8 or [::1], as the URL parser writes hosts (it turns `127.1` into `127.0.0.1`). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** A part of something: 0 < f <= 1 (`0.6`, or `60%`). */
export function fraction(flag: string, value: string): number {
  const trimmed = value.trim();
  const number = trimmed.endsWith("%") ? Number(trimmed.slice(0, -1)) / 100 : Number(trimmed);
  if (trimmed === "" || trimmed === "%" || !Number.isFinite(number) || number <= 0 || number > 1) {
    throw new OffboardError("USAGE", `Expected \`${flag}\` to be a fraction > 0 and <= 1, got \`${value}\``);
  }
  return number;
}

/** A redis:// or rediss:// URL (user and password may be in it: never log it whole). */
export function redisUrl(flag: string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "redis:" && url.protocol !== "rediss:") || url.hostname === "") {
    // The value itself may hold a password: name only the expected form.
    throw new OffboardError(
      "USAGE",
      `Expected \`${flag}\` to be a redis:// or rediss:// URL such as redis://127.0.0.1:6379`,
    );
  }
  return value.trim();
}
