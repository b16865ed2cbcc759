#!/usr/bin/env node
// Thin launcher: the bundled CLI lives in dist/bundle/ (built by `npm ci` through the prepare script).
import { setFlagsFromString } from "node:v8";

// undici parses HTTP with a WebAssembly module; V8's baseline compiler is plenty for a few hundred bytes per answer,
// and its optimising pass would cost every run a second compile in the background. It concerns WebAssembly only.
setFlagsFromString("--liftoff-only");
await import("../dist/bundle/cli.js");
