#!/usr/bin/env node
import '../dist/io/heap-start.js'; // V8's heap settings for a streaming run, before anything else (README "Memory")
import { runBin } from '../dist/cli/run.js';
import { main } from '../dist/cli/filter.js';

await runBin(main);
