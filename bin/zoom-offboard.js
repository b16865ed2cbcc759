#!/usr/bin/env node
// Thin launcher: the bundled CLI lives in dist/bundle/ (built by `npm ci` through the prepare script).
import "../dist/bundle/cli.js";
