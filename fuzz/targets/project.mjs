/**
 * The projector (`--field`): any set of paths on any event never throws (a set
 * that cannot be combined is a ProjectionError at compile time); the nested
 * output re-parses as JSON and holds only keys and values of the event; each
 * plain path reads the same in the output as in the event; every printer's
 * output has its format's shape; nothing touches Object.prototype.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JsonNumber, compileProjection, formatPath, getPathValues, parseLossless, parsePath, stringifyJson } from '../../dist/index.js';
import { ProjectionError } from '../../dist/core/project.js';
import { fieldPrinter } from '../../dist/print/fields.js';

const KEYS = ['a', 'b', 'a.b', '', '0', '__proto__', 'constructor', 'prototype', 'toString', 'é', '\n', 'hasOwnProperty', 'length'];
const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).sort().join(',');

const segment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...KEYS).map((key) => ({ kind: 'key', key, span: { start: 0, end: 0 } })) },
  { weight: 1, arbitrary: fc.integer({ min: -3, max: 3 }).map((index) => ({ kind: 'index', index, span: { start: 0, end: 0 } })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'wildcard', span: { start: 0, end: 0 } }) },
);
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((segments) => ({ segments, text: formatPath(segments), span: { start: 0, end: 0 } }));

/** Events over the same keys, with lossless numbers, written as text and parsed as csm-filter does. */
const eventText = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('null', 'true', '0', '-0', '1.50', '18446744073709551616', '1e400', '"x"', '"a\\tb\\nc"', '"q\\"uote,"', '"\\\\"', '"😀"'),
    fc.array(tie('v'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(fc.constantFrom(...KEYS), tie('v')), { maxLength: 5 })
      .map((members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).v;

/** Path-like text: pieces of the path syntax (quotes, escapes, surrogates), or anything. */
const pathText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc
    .array(fc.constantFrom('a', 'b_1', '.', '[', ']', '"', '\\', '\\u00', '*', '-', '-1', '0', '99999999999999999999', ' ', '\n', '\ud800', '\udc00', '😀', 'é', '__proto__'), { maxLength: 12 })
    .map((parts) => parts.join('')),
);

/** `out` holds only what `event` holds: its keys, its values, its array elements. */
function fromEvent(out, event, where = '$') {
  // An element of a [*] list without the fields keeps its place as {} (or [] under [*][...]).
  if (where.endsWith(']') && ((Array.isArray(out) && out.length === 0) || (isPlainObject(out) && Object.keys(out).length === 0))) return;
  if (Array.isArray(out)) {
    assert.ok(Array.isArray(event), `${where}: an array in the output is an array in the event`);
    for (const [i, x] of out.entries()) {
      assert.ok(event.some((e) => fromEventQuiet(x, e, `${where}[${i}]`)), `${where}[${i}]: comes from an element of the event`);
    }
    return;
  }
  if (out !== null && typeof out === 'object' && !(out instanceof JsonNumber)) {
    // An event that is not an object (or lacks every field) prints {} (README "Output").
    if (where === '$' && Object.keys(out).length === 0) return;
    assert.ok(event !== null && typeof event === 'object' && !Array.isArray(event) && !(event instanceof JsonNumber), `${where}: object`);
    assert.equal(Object.getPrototypeOf(out), Object.prototype, `${where}: a plain object`);
    for (const k of Object.keys(out)) {
      assert.ok(Object.hasOwn(event, k), `${where}: key ${JSON.stringify(k)} is a key of the event`);
      fromEvent(out[k], event[k], `${where}.${k}`);
    }
    return;
  }
  assert.ok(out === event, `${where}: the event's own value`);
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonNumber);
}

function fromEventQuiet(out, event, where) {
  try {
    fromEvent(out, event, where);
    return true;
  } catch {
    return false;
  }
}

function isKeyOnly(p) {
  return p.segments.every((s) => s.kind === 'key');
}

/** Splits an RFC 4180 record (CRLF already removed) into cells. */
function csvCells(record) {
  const cells = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (record[i] === '"') {
      i++;
      for (;;) {
        const q = record.indexOf('"', i);
        assert.ok(q !== -1, 'closed quote');
        cell += record.slice(i, q);
        if (record[q + 1] === '"') {
          cell += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else {
      const c = record.indexOf(',', i);
      const end = c === -1 ? record.length : c;
      cell = record.slice(i, end);
      assert.ok(!/["\r\n]/.test(cell), 'an unquoted cell has no quote, CR or LF');
      i = end;
    }
    cells.push(cell);
    if (i >= record.length) return cells;
    assert.equal(record[i], ',', 'cells are separated by commas');
    i++;
  }
}

function cellText(v) {
  return v === undefined ? '' : typeof v === 'string' ? v : stringifyJson(v);
}

export const properties = [
  {
    name: 'nested',
    description: 'nested projection never throws, re-parses, holds only the event\'s keys and values, and plain paths read as in the event',
    property: () =>
      fc.property(fc.array(path, { minLength: 1, maxLength: 5 }), fc.array(eventText, { minLength: 1, maxLength: 3 }), (paths, texts) => {
        let projector;
        try {
          projector = compileProjection(paths);
        } catch (e) {
          assert.ok(e instanceof ProjectionError, `only a ProjectionError, not ${e}`);
          return;
        }
        for (const text of texts) {
          const event = parseLossless(text);
          const out = projector.nested(event);
          const printed = stringifyJson(out);
          JSON.parse(printed);
          fromEvent(out, event);
          for (const p of paths) {
            if (isKeyOnly(p)) assert.deepStrictEqual(getPathValues(out, p), getPathValues(event, p), `${p.text} in ${printed}`);
            // [*] keeps the array's positions (README: an element without the fields stays as {}).
            const w = p.segments.findIndex((s) => s.kind !== 'key');
            if (w > 0 && p.segments[w].kind === 'wildcard') {
              const list = getPathValues(event, p.segments.slice(0, w));
              const kept = getPathValues(out, p.segments.slice(0, w));
              if (list.length === 1 && Array.isArray(list[0])) {
                assert.ok(kept.length === 1 && Array.isArray(kept[0]) && kept[0].length === list[0].length, `${p.text}: every position kept in ${printed}`);
              }
            }
          }
        }
        assert.equal(Object.getOwnPropertyNames(Object.prototype).sort().join(','), PROTO_NAMES, 'Object.prototype unchanged');
        assert.equal({}.polluted, undefined);
      }),
  },
  {
    name: 'printers',
    description: 'ndjson, --flat, tsv, csv and raw output have their shape: one record per event, cells as the columns',
    property: () =>
      fc.property(fc.array(path, { minLength: 1, maxLength: 4 }), eventText, fc.boolean(), (paths, text, header) => {
        let projector;
        try {
          projector = compileProjection(paths);
        } catch (e) {
          assert.ok(e instanceof ProjectionError);
          return;
        }
        const event = parseLossless(text);
        const columns = projector.columns(event);
        const nd = fieldPrinter(projector, { format: 'ndjson', flat: false, header });
        const ndOut = nd.header() + nd.record(event);
        assert.ok(ndOut.endsWith('\n') && ndOut.indexOf('\n') === ndOut.length - 1, 'ndjson: one line');
        JSON.parse(ndOut);
        const flat = fieldPrinter(projector, { format: 'ndjson', flat: true, header });
        const flatOut = flat.record(event);
        const flatValue = JSON.parse(flatOut);
        assert.deepEqual(Object.keys(flatValue), [...new Set(projector.names.filter((_, i) => columns[i] !== undefined))], 'flat keys');
        const tsv = fieldPrinter(projector, { format: 'tsv', flat: false, header });
        const tsvRecord = tsv.record(event);
        assert.ok(tsvRecord.endsWith('\n') && !tsvRecord.slice(0, -1).includes('\n') && !tsvRecord.includes('\r'), 'tsv: one line');
        const tsvCells = tsvRecord.slice(0, -1).split('\t');
        assert.equal(tsvCells.length, paths.length, 'tsv: one cell per field');
        tsvCells.forEach((c, i) => {
          const unescaped = c.replace(/\\(.)/g, (_, x) => ({ t: '\t', n: '\n', r: '\r', '\\': '\\' })[x] ?? `\\${x}`);
          assert.equal(unescaped, cellText(columns[i]), `tsv cell ${i}`);
        });
        if (header) assert.equal(tsv.header().split('\t').length, paths.length, 'tsv header');
        const csv = fieldPrinter(projector, { format: 'csv', flat: false, header });
        const csvRecord = csv.record(event);
        assert.ok(csvRecord.endsWith('\r\n'), 'csv: CRLF');
        assert.deepEqual(csvCells(csvRecord.slice(0, -2)), columns.map(cellText), 'csv cells');
        if (paths.length === 1) {
          const raw = fieldPrinter(projector, { format: 'raw', flat: false, header });
          const rawOut = raw.record(event);
          const values = columns[0] === undefined ? [] : paths[0].segments.some((s) => s.kind === 'wildcard') ? columns[0] : [columns[0]];
          assert.equal(rawOut, values.map((v) => cellText(v) + '\n').join(''), 'raw');
        }
      }),
  },
  {
    name: 'path-text',
    description: 'parsePath never throws on any text; formatPath output parses back to the same steps',
    property: () =>
      fc.property(pathText, fc.array(segment, { minLength: 1, maxLength: 5 }), (text, segments) => {
        const r = parsePath(text);
        if (!r.ok) assert.ok(r.error.message.length > 0 && r.error.span.start >= 0 && r.error.span.end <= Math.max(text.length, 1));
        const printed = formatPath(segments);
        const back = parsePath(printed);
        assert.ok(back.ok, `${printed}: ${back.ok ? '' : back.error.message}`);
        assert.deepEqual(
          back.path.segments.map((s) => (s.kind === 'key' ? ['key', s.key] : s.kind === 'index' ? ['index', s.index] : ['*'])),
          segments.map((s) => (s.kind === 'key' ? ['key', s.key] : s.kind === 'index' ? ['index', s.index] : ['*'])),
        );
      }),
  },
];
