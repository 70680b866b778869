/**
 * The two per-line steps (core/validate-line.ts, core/filter-line.ts) and the
 * sinks (print/sinks.ts), as values: a line's bytes in, a verdict out; a
 * verdict in, a sink's writes out. Everything else is wiring around them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FilterError, filterLine } from '../../src/core/filter-line.js';
import { compileFilter } from '../../src/core/filter-compile.js';
import type { Line } from '../../src/core/lines.js';
import { RunStats } from '../../src/core/stats.js';
import { validateLine } from '../../src/core/validate-line.js';
import { type Verdict, eventKind } from '../../src/core/verdict.js';
import { createValidator, schemaIndexOf, bundledEventSchema } from '../../src/io/schemas.js';
import { makeChalk } from '../../src/print/color.js';
import { countSink, fieldsSink, linesSink, reportSink } from '../../src/print/sinks.js';
import { fieldPrinter } from '../../src/print/fields.js';
import { EXAMPLES } from '../helpers/run.js';

const examples = readFileSync(EXAMPLES, 'utf8').trim().split('\n');
const line = (text: string, n = 1): Line => ({ line: n, offset: 0, bytes: Buffer.from(text) });
const validator = createValidator();
const index = schemaIndexOf(bundledEventSchema());

describe('eventKind', () => {
  it.each([
    ['{"evt":{"name":"exec"}}', 'exec'],
    ['{"evt":{}}', null],
    ['{"evt":{"name":1}}', null],
    ['{}', null],
    ['[1]', undefined],
    ['"x"', undefined],
    ['null', undefined],
  ])('%s -> %s', (text, kind) => {
    expect(eventKind(JSON.parse(text))).toBe(kind);
  });
});

describe('validateLine', () => {
  it('is blank, selected (valid) with the kind, or invalid with every error and the first column', () => {
    expect(validateLine(line('  \t'), validator)).toEqual({ status: 'blank' });
    expect(validateLine(line(examples[0]!), validator)).toEqual({ status: 'selected', kind: 'exec' });
    const bad = validateLine(line('{"evt":{"name":"open"}}'), validator);
    expect(bad).toMatchObject({ status: 'invalid', kind: 'open', column: 1 });
    expect(bad.status === 'invalid' && bad.errors.map((e) => e.code)).toEqual(['required', 'required']);
    expect(validateLine(line('{"a":'), validator)).toMatchObject({ status: 'invalid', kind: undefined, column: 6 });
  });

  it('renders a valid line with `render` (the library hands on the parsed event)', () => {
    const v = validateLine(line(examples[1]!), validator, undefined, (value) => (value as { evt: { name: string } }).evt.name);
    expect(v).toEqual({ status: 'selected', kind: expect.any(String), output: (JSON.parse(examples[1]!) as { evt: { name: string } }).evt.name });
  });
});

describe('filterLine', () => {
  const filter = compileFilter({ kinds: ['exec'], where: ['process.credentials.uid == 0'], invert: false, fields: [] }, { index });

  it('selects by kind and query, skips the rest, and reports lines that are not JSON', () => {
    const verdicts = examples.map((t) => filterLine(line(t), filter).status);
    expect(verdicts).toContain('selected');
    expect(verdicts).toContain('skipped');
    expect(filterLine(line('{'), filter)).toMatchObject({ status: 'invalid', errors: [{ code: 'json' }] });
    expect(filterLine(line(''), filter)).toEqual({ status: 'blank' });
  });

  it('validates before it selects when it has a validator: an invalid event is never selected', () => {
    const any = compileFilter({ kinds: [], where: [], invert: false, fields: [] }, { index, validator });
    expect(filterLine(line('{"evt":{"name":"exec"}}'), any)).toMatchObject({ status: 'invalid', kind: 'exec' });
    const noValidation = compileFilter({ kinds: [], where: [], invert: false, fields: [] }, { index });
    expect(filterLine(line('{"evt":{"name":"exec"}}'), noValidation)).toEqual({ status: 'selected', kind: 'exec' });
  });

  it('renders a selected event with exact numbers', () => {
    const f = compileFilter({ kinds: [], where: [], invert: false, fields: ['file.inode'] }, { index });
    const printer = fieldPrinter(f.projector!, { format: 'tsv', flat: false, header: true });
    const v = filterLine(line('{"file":{"inode":18446744073709551615}}'), f, undefined, (e) => printer.record(e.exact()));
    expect(v).toEqual({ status: 'selected', kind: null, output: '18446744073709551615\n' });
  });

  it('-k (none) does not select events without evt.name', () => {
    const f = compileFilter({ kinds: ['(none)'], where: [], invert: false, fields: [] }, { index });
    expect(filterLine(line('{}'), f).status).toBe('skipped');
  });

  it('throws a FilterError naming no flag: the caller words it', () => {
    expect(() => compileFilter({ kinds: [], where: ['process.uid =='], invert: false, fields: [] }, { index })).toThrow(FilterError);
    try {
      compileFilter({ kinds: [], where: [], invert: false, fields: ['process.args[*]', 'process.args[0]'] }, { index });
    } catch (err) {
      expect(err).toBeInstanceOf(FilterError);
      const fe = err as FilterError;
      expect([fe.option, fe.source, fe.reason, fe.message]).toEqual([
        'fields',
        'process.args[0]',
        '[*] and [N] cannot both select from the same list',
        'field process.args[0]: [*] and [N] cannot both select from the same list',
      ]);
      expect(fe.message).not.toContain('--');
      return;
    }
    expect.unreachable();
  });
});

describe('RunStats', () => {
  it('counts each verdict once; lines read and valid lines are derived, so they always add up', () => {
    const stats = new RunStats();
    stats.count(line(''), { status: 'blank' });
    stats.count(line('{}'), { status: 'selected', kind: null });
    stats.count(line('{"evt":{"name":"exec"}}'), { status: 'skipped', kind: 'exec' });
    stats.count(line('[1]'), { status: 'invalid', kind: undefined, column: 1, errors: [{ code: 'type', message: '', instancePath: '', schemaPath: '', params: {} }] });
    expect([stats.read, stats.valid, stats.selected, stats.skipped, stats.invalid, stats.blank]).toEqual([4, 2, 1, 1, 1, 1]);
    expect(stats.bytes).toBe(1 + 3 + 24 + 4);
    expect(Object.fromEntries(stats.kinds)).toEqual({ '(none)': 1, exec: 1 });
    expect(Object.fromEntries(stats.errorPaths)).toEqual({ '(root) (type)': 1 });
  });
});

describe('sinks', () => {
  const collect = (): { text: () => string; write: (d: Buffer | string) => void } => {
    const parts: Buffer[] = [];
    return { write: (d) => parts.push(Buffer.from(d)), text: () => Buffer.concat(parts).toString() };
  };
  const sel: Verdict = { status: 'selected', kind: 'exec' };
  const inv: Verdict = { status: 'invalid', kind: undefined, column: 2, errors: [{ code: 'json', message: 'bad', instancePath: '', schemaPath: '', params: {} }] };

  it('linesSink copies the lines of its status, byte for byte, and never an over-long one', () => {
    const out = collect();
    const s = linesSink(out, 'invalid');
    s.take('f', line('a'), sel);
    s.take('f', line('b'), inv);
    s.take('f', { line: 3, offset: 0, bytes: Buffer.alloc(0), tooLong: true, length: 9 }, inv);
    expect(out.text()).toBe('b\n');
  });

  it('fieldsSink writes the header once, before the first record, or at the end when nothing was selected', () => {
    const printer = { header: () => 'H\n', record: () => '' };
    const out = collect();
    const s = fieldsSink(out, printer);
    s.take('f', line('x'), { status: 'selected', kind: 'exec', output: 'r1\n' });
    s.take('f', line('x'), { status: 'skipped', kind: 'exec' });
    s.take('f', line('x'), { status: 'selected', kind: 'exec', output: 'r2\n' });
    s.finish?.(new RunStats());
    expect(out.text()).toBe('H\nr1\nr2\n');
    const empty = collect();
    fieldsSink(empty, printer).finish?.(new RunStats());
    expect(empty.text()).toBe('H\n');
  });

  it('countSink writes only the count of selected lines, at the end', () => {
    const out = collect();
    const s = countSink(out);
    s.take('f', line('x'), sel);
    const stats = new RunStats();
    stats.selected = 7;
    s.finish?.(stats);
    expect(out.text()).toBe('7\n');
  });

  it('reportSink writes the report of an invalid line in its format, and nothing for others', () => {
    const out = collect();
    const s = reportSink(out, 'text', makeChalk(false));
    s.take('a.ndjson', line('x', 4), sel);
    s.take('a.ndjson', line('x', 5), inv);
    expect(out.text()).toBe('a.ndjson:5:2: bad (json)\n');
  });
});
