#!/usr/bin/env node
import { runBin } from '../dist/cli/run.js';
import { main } from '../dist/cli/rules.js';

await runBin(main);
