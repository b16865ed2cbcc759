import { readFileSync } from "node:fs";

/**
 * `zoom-offboard/<version>`: Zoom support can then tell our requests apart. The file sits at src/zoom/ in tests
 * and dist/zoom/ when built, both two levels below package.json.
 */
export const DEFAULT_USER_AGENT = `zoom-offboard/${readVersion()}`;

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: unknown;
    };
    return typeof pkg.version === "string" ? pkg.version : "unknown";
  } catch {
    return "unknown";
  }
}
