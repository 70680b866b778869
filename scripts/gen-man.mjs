#!/usr/bin/env node
/**
 * Writes man/csm-validate.1, man/csm-filter.1 and man/csm-schema.1 from the
 * commander definitions (needs a build: `npm run gen:man` builds first).
 * `node scripts/gen-man.mjs DIR` writes them to DIR instead (the drift test).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manPages } from '../dist/cli/man.js';

const dir = process.argv[2] ?? fileURLToPath(new URL('../man/', import.meta.url));
mkdirSync(dir, { recursive: true });
for (const { file, text } of manPages()) writeFileSync(join(dir, file), text);
