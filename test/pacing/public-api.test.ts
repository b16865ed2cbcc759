import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dir = fileURLToPath(new URL("../../src/pacing/", import.meta.url));
const sources = readdirSync(dir)
  .filter((name) => name.endsWith(".ts"))
  .map((name) => ({ name, text: readFileSync(join(dir, name), "utf8") }));

/** Lines of `text` containing `needle`, for a readable failure. */
const linesWith = (text: string, needle: string | RegExp): string[] =>
  text.split("\n").filter((line) => (typeof needle === "string" ? line.includes(needle) : needle.test(line)));

describe("src/pacing uses its dependencies as they ship", () => {
  it("has sources to look at", () => {
    expect(sources.map(({ name }) => name)).toEqual(expect.arrayContaining(["pacer.ts", "shared-slots.ts"]));
  });

  it.each([
    "_store",
    "__register__",
    "yieldLoop",
    "lib/Scripts",
    "_loadScripts",
    "bottleneck/lib/",
    "undici/lib/",
    "ioredis/built/",
    "as unknown as",
    "createRequire",
  ])("never reaches for %s", (needle) => {
    for (const { name, text } of sources) expect(linesWith(text, needle), name).toEqual([]);
  });

  it("imports Bottleneck and ioredis by their package names only", () => {
    for (const { name, text } of sources) {
      const imports = linesWith(
        text,
        /from "(bottleneck|ioredis)[^"]*"|import\("(bottleneck|ioredis)[^"]*"\)/,
      );
      for (const line of imports) expect(line, name).toMatch(/["'](bottleneck|ioredis)["']/);
    }
  });

  it("takes time and identity from outside: no process ids, randomness or timers of its own", () => {
    for (const { name, text } of sources) {
      for (const needle of ["process.pid", "Math.random", "performance.now", "setInterval"]) {
        expect(linesWith(text, needle), `${name}: ${needle}`).toEqual([]);
      }
      // The default clock is the one place that touches the real one.
      if (name === "clock.ts") continue;
      for (const needle of ["Date.now", /(^|[^.\w])setTimeout\(/]) {
        expect(linesWith(text, needle), `${name}: ${needle}`).toEqual([]);
      }
    }
  });
});
