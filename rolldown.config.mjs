/**
 * The shipped CLI is one bundle of the compiled code (dist/) and its dependencies: Node then reads a handful of
 * files at start-up instead of a few hundred (each a stat, a package.json lookup and a read), about 0.1 s less
 * from launch to the first request on a small VM. Modules loaded on demand (the simulator, the Zoom session)
 * become chunks of their own; those loaded through createRequire (pino-pretty, cli-progress, the two undici
 * files, Bottleneck's Lua scripts) stay in node_modules, and so does ioredis: only --redis runs load it, and its
 * CommonJS calls `require` at run time, which an ES module bundle does not have.
 */
import { defineConfig } from "rolldown";

export default defineConfig({
  input: "dist/cli.js",
  platform: "node",
  external: ["ioredis"],
  output: { dir: "dist/bundle", format: "esm", cleanDir: true },
});
