#!/usr/bin/env node
// dist/cli/filter.js's main, bundled into one module at build time (scripts/bundle-bins.mjs): start-up.
import '../dist/bin/csm-filter.js';
