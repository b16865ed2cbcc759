import { readFileSync } from "node:fs";

/**
 * The package version, from the package.json above this file: src/ in tests, dist/ compiled, dist/bundle/ as
 * shipped (bin/ runs the bundle). Walks up rather than assuming a depth; "unknown" if none is found.
 */
export const VERSION: string = readVersion();

function readVersion(): string {
  let dir = new URL("./", import.meta.url);
  for (let depth = 0; depth < 4; depth += 1) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("package.json", dir), "utf8")) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === "zoom-offboard" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // No package.json at this level: look one higher.
    }
    dir = new URL("../", dir);
  }
  return "unknown";
}
