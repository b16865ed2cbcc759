import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/run-cli.js";

// The layers of src/, top-down, and what each may import. A newcomer reads the code top-down; a lower layer that
// imports a higher one (or a cycle) would make that reading lie.
const LAYERS: Record<string, readonly string[]> = {
  cli: ["app", "plan", "input", "lookup", "send", "report", "resume", "pacing", "zoom", "domain", "sim"],
  app: ["plan", "input", "lookup", "send", "report", "resume", "pacing", "zoom", "domain"],
  input: ["domain"],
  lookup: ["input", "send", "pacing", "zoom", "domain"],
  send: ["pacing", "zoom", "domain"],
  report: ["domain"],
  resume: ["report", "input", "domain"],
  plan: ["report", "domain"],
  pacing: ["domain"],
  zoom: ["domain"],
  domain: [],
  sim: ["domain"],
};

const SRC = join(ROOT, "src");

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function layerOf(file: string): string {
  const [top = ""] = relative(SRC, file).split("/");
  return top === "cli.ts" ? "cli" : top;
}

/** Relative imports (and re-exports) of a file, as paths of .ts files. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map(
    (match) => match[1] ?? "",
  );
  return specs.map((spec) => normalize(join(dirname(file), spec)).replace(/\.js$/, ".ts"));
}

describe("the layers of src/", () => {
  const files = sourceFiles();

  it("every top-level folder is a known layer", () => {
    expect([...new Set(files.map(layerOf))].filter((layer) => LAYERS[layer] === undefined)).toEqual([]);
  });

  it("no layer imports one it may not", () => {
    const wrong: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        if (to !== from && !(LAYERS[from] ?? []).includes(to)) {
          wrong.push(`${relative(ROOT, file)} → ${relative(ROOT, target)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("has no import cycles", () => {
    const graph = new Map(files.map((file) => [file, importsOf(file)]));
    const cycles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "visiting") {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(" → "));
        return;
      }
      state.set(file, "visiting");
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, "done");
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it("no source file is longer than a sitting's read", () => {
    const long = files
      .map((file) => ({ file: relative(ROOT, file), lines: readFileSync(file, "utf8").split("\n").length }))
      .filter(({ lines }) => lines > 260);
    expect(long).toEqual([]);
  });

  it("uses dependencies through their public API only", () => {
    const privateParts =
      /_store\b|__register__|yieldLoop|_loadScripts|lib\/Scripts|bottleneck\/lib\/|undici\/lib\/|as unknown as/;
    const found = files
      .filter((file) => privateParts.test(readFileSync(file, "utf8")))
      .map((file) => relative(ROOT, file));
    expect(found).toEqual([]);
  });

  it("cites no document a reader of the repository cannot see", () => {
    const cites = /SPEC ?§|API-NOTES|[Ii]ssue [0-9]+|issue #[0-9]+/;
    const found = files
      .filter((file) => cites.test(readFileSync(file, "utf8")))
      .map((file) => relative(ROOT, file));
    expect(found).toEqual([]);
  });
});
