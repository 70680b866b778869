#!/usr/bin/env node
import { runBin } from '../dist/cli/run.js';
import { main } from '../dist/cli/filter.js';

await runBin(main);
