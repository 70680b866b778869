#!/usr/bin/env node
// dist/cli/rules.js's main, bundled into one module at build time (scripts/bundle-bins.mjs): start-up.
import '../dist/bin/csm-rules.js';
