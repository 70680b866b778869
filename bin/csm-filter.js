#!/usr/bin/env node
// V8's heap settings for a streaming run, set before the tool's modules are loaded: with static
// imports the young generation still grew to 4 MB semi-spaces (README "Memory").
import '../dist/io/heap-start.js';

const [{ runBin }, { main }] = await Promise.all([import('../dist/cli/run.js'), import('../dist/cli/filter.js')]);
await runBin(main);
