#!/usr/bin/env node
// dist/cli/schema.js's main, bundled into one module at build time (scripts/bundle-bins.mjs): start-up.
import '../dist/bin/csm-schema.js';
