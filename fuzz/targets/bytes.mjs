/**
 * csm-filter's selection on the bytes (core/bytes) against the ordinary parse:
 * on corpus events under random mutations (fuzz/bytes-model.mjs), the byte
 * pass accepts exactly the lines that JSON.parse takes as an object in valid
 * UTF-8, and for random filter specs every verdict (status, kind, output,
 * issues) equals filterLine's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { filterLine } from '../../dist/core/filter-line.js';
import { compileFilter } from '../../dist/core/filter-compile.js';
import { compileCountBy } from '../../dist/core/count-by.js';
import { fieldPrinter } from '../../dist/print/fields.js';
import { byteLineStep } from '../../dist/core/bytes/select.js';
import { MAX_DEPTH, addKeyPath, emptyTrie, scanSparse } from '../../dist/core/bytes/scan.js';
import { acceptsReference, checkSameVerdicts, filterSpec, mutatedLines } from '../bytes-model.mjs';

const read = (path) => readFileSync(new URL(path, import.meta.url), 'utf8').split('\n').filter((l) => l.trim() !== '');
const EVENTS = [...read('../../examples/events.ndjson'), ...read('../../examples/mixed-agents.ndjson'), ...read('../../../shared/corpus/events.ndjson')];
const lib = { compileFilter, filterLine, byteLineStep, compileCountBy, fieldPrinter };

const trie = emptyTrie();
for (const p of [['evt', 'name'], ['process', 'args'], ['process', 'credentials', 'uid'], ['file'], ['agent', 'rule_id']]) addKeyPath(trie, p);

export const properties = [
  {
    name: 'accepts',
    description: 'the byte pass accepts exactly the lines JSON.parse takes as an object in valid UTF-8 (nesting within its limit)',
    property: () =>
      fc.property(mutatedLines(EVENTS), (bytes) => {
        assert.equal(scanSparse(bytes, trie) !== undefined, acceptsReference(bytes, MAX_DEPTH));
      }),
  },
  {
    name: 'verdicts',
    description: 'csm-filter verdicts on the bytes equal the ordinary parse\'s, for random specs (kinds, where, secl, fields, count-by, windows, invert)',
    property: () =>
      fc.property(filterSpec, fc.array(mutatedLines(EVENTS), { minLength: 1, maxLength: 6 }), (spec, lines) => {
        checkSameVerdicts(lib, spec, lines);
      }),
  },
];
