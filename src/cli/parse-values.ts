import { OffboardError } from "../errors.js";

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

export function httpUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OffboardError("USAGE", `Expected \`${flag}\` to be an http(s) URL, got \`${value}\``);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new OffboardError("USAGE", `Expected \`${flag}\` to be an http(s) URL, got \`${value}\``);
  }
  return value.replace(/\/+$/, "");
}
