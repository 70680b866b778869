import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { filterLine } from '../../../src/core/filter-line.js';
import { compileFilter } from '../../../src/core/filter-compile.js';
import { compileCountBy } from '../../../src/core/count-by.js';
import { fieldPrinter } from '../../../src/print/fields.js';
import { byteLineStep, readsTrie } from '../../../src/core/bytes/select.js';
import { checkSameVerdicts, filterSpec, lineOf, mutatedLines } from '../../../fuzz/bytes-model.mjs';

const EVENTS = [
  ...readFileSync(new URL('../../../examples/events.ndjson', import.meta.url), 'utf8').split('\n'),
  ...readFileSync(new URL('../../../examples/mixed-agents.ndjson', import.meta.url), 'utf8').split('\n'),
  ...readFileSync(new URL('../../../../shared/corpus/events.ndjson', import.meta.url), 'utf8').split('\n'),
].filter((l) => l.trim() !== '');

const lib = { compileFilter, filterLine, byteLineStep, compileCountBy, fieldPrinter };

describe('csm-filter on the bytes gives the verdicts of the ordinary parse', () => {
  test('for random filter specs on mutated corpus events: status, kind, output, issues, every field', () => {
    fc.assert(
      fc.property(filterSpec, fc.array(mutatedLines(EVENTS), { minLength: 1, maxLength: 6 }), (spec, lines) => {
        checkSameVerdicts(lib, spec, lines);
      }),
      { numRuns: 300 },
    );
  });

  test('with --max-line-bytes given (its value limit, line-cost.ts, decides which lines the pass leaves to the ordinary path)', () => {
    fc.assert(
      fc.property(filterSpec, fc.array(mutatedLines(EVENTS), { minLength: 1, maxLength: 3 }), (spec, lines) => {
        checkSameVerdicts(lib, spec, lines, 100);
      }),
      { numRuns: 50 },
    );
  });

  test('a selected exec event projected on process.args keeps a uint64 digit for digit', () => {
    const filter = compileFilter({ kinds: ['exec'], where: ['process.credentials.uid == 18446744073709551615'], invert: false, fields: ['process.credentials.uid'] }, { index: null });
    const printer = fieldPrinter(filter.projector!, { format: 'ndjson', flat: false, header: false });
    const step = byteLineStep(filter, [], undefined, (e) => printer.record(e.exact()))!;
    const line = lineOf(Buffer.from('{"evt":{"name":"exec"},"process":{"credentials":{"uid":18446744073709551615,"gid":1.50}}}'));
    expect(step(line)).toEqual({ status: 'selected', kind: 'exec', output: '{"process":{"credentials":{"uid":18446744073709551615}}}\n' });
  });

  test('a line that is not JSON is reported as the ordinary path reports it', () => {
    const filter = compileFilter({ kinds: ['exec'], where: [], invert: false, fields: [] }, { index: null });
    const step = byteLineStep(filter, [])!;
    const line = lineOf(Buffer.from('{"evt":{"name":"exec"},}'));
    const verdict = step(line);
    expect(verdict.status).toBe('invalid');
    expect(verdict).toEqual(filterLine(line, filter));
  });
});

describe('when the byte pass is not used', () => {
  test('a filter that validates, or reads the envelope, needs the whole event', () => {
    const validator = () => ({ errors: [], warnings: [], omitted: 0 });
    expect(compileFilter({ kinds: ['exec'], where: [], invert: false, fields: [] }, { index: null, validator }).reads).toBeUndefined();
    expect(compileFilter({ kinds: [], where: ['$host == "x"'], invert: false, fields: [] }, { index: null }).reads).toBeUndefined();
    expect(byteLineStep(compileFilter({ kinds: ['exec'], where: [], invert: false, fields: [] }, { index: null, validator }), [])).toBeUndefined();
  });

  test('a projection of a list element or a wildcard reads the list whole', () => {
    const filter = compileFilter({ kinds: [], where: ['process.ancestors[*].pid == 1'], invert: false, fields: ['process.args[0]'] }, { index: null });
    const trie = readsTrie(filter, [])!;
    const process = trie.children[trie.names.indexOf('process')]!;
    expect(process.names.sort()).toEqual(['ancestors', 'args']);
    expect(process.children.every((c) => c.leaf)).toBe(true);
  });
});
