#!/usr/bin/env node
// V8's heap settings for a streaming run first, before the tool's modules are loaded (README
// "Memory"); then dist/cli/filter.js's main, bundled into one module at build time
// (scripts/bundle-bins.mjs): start-up.
import '../dist/io/heap-start.js';

await import('../dist/bin/csm-filter.js');
