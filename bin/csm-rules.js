#!/usr/bin/env node
// dist/cli/rules.js's main, bundled into one module at build time (scripts/bundle-bins.mjs):
// start-up. V8's default heap settings (not the line tools' smaller young generation:
// README "Memory"): the rule engine allocates more per event, and they cost it ~7% of CPU.
import '../dist/bin/csm-rules.js';
