import { describe, expect, it } from 'vitest';
import type { LineReport } from '../../src/core/diagnostic.js';
import { colorEnabled, makeChalk } from '../../src/print/color.js';
import { formatJsonReport, formatTextReport } from '../../src/print/report.js';

const plain = makeChalk(false);
const report: LineReport = {
  file: 'a.ndjson',
  line: 3,
  column: 1,
  errors: [
    { code: 'required', instancePath: '', schemaPath: '#/required', params: { missingProperty: 'agent' }, message: "missing required key 'agent'", column: 1 },
    { code: 'type', instancePath: '/evt/name', schemaPath: '#/$defs/EventContext/properties/name/type', params: { type: 'string' }, message: 'expected string, found integer', column: 17 },
  ],
};

describe('text error format', () => {
  it('writes FILE:LINE:COL: /pointer: message (keyword), (root) for the root', () => {
    expect(formatTextReport(report, plain)).toBe(
      "a.ndjson:3:1: (root): missing required key 'agent' (required)\n" +
        'a.ndjson:3:17: /evt/name: expected string, found integer (type)\n',
    );
  });
  it('has no pointer for line-level errors and no column when unknown', () => {
    const r: LineReport = { file: '<stdin>', line: 2, errors: [{ code: 'size', instancePath: '', schemaPath: '', params: {}, message: 'too long' }] };
    expect(formatTextReport(r, plain)).toBe('<stdin>:2: too long (size)\n');
  });
  it('colours only when asked', () => {
    expect(formatTextReport(report, makeChalk(true))).toContain('\u001b[');
    expect(formatTextReport(report, plain)).not.toContain('\u001b[');
  });
});

describe('json error format', () => {
  it('writes one object with file, line, column and the ajv fields in order', () => {
    const parsed = JSON.parse(formatJsonReport(report)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['file', 'line', 'column', 'errors']);
    expect((parsed.errors as object[])[1]).toEqual({
      instancePath: '/evt/name',
      schemaPath: '#/$defs/EventContext/properties/name/type',
      keyword: 'type',
      params: { type: 'string' },
      message: 'expected string, found integer',
      column: 17,
    });
  });
});

describe('colorEnabled', () => {
  it.each<[Parameters<typeof colorEnabled>[0], Record<string, string>, boolean, boolean]>([
    ['always', {}, false, true],
    ['never', { FORCE_COLOR: '1' }, true, false],
    ['auto', {}, true, true],
    ['auto', {}, false, false],
    ['auto', { TERM: 'dumb' }, true, false],
    ['auto', { NO_COLOR: '1' }, true, false],
    ['auto', { NO_COLOR: '' }, true, true],
    ['auto', { FORCE_COLOR: '1' }, false, true],
    ['auto', { FORCE_COLOR: '0' }, true, false],
    ['auto', { FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
  ])('%s with %j on a TTY=%s -> %s', (mode, env, tty, expected) => {
    expect(colorEnabled(mode, env, tty)).toBe(expected);
  });
});
