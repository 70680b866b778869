/**
 * The JSON error locator and the lossless parser, against JSON.parse on random
 * and mutated text; digit-for-digit round trips; the lossless pre-check; exact
 * number comparison against a BigInt reference.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  JsonNumber,
  compareJsonNumbers,
  formatPath,
  locateJsonError,
  needsLossless,
  parseLossless,
  stringifyJson,
} from '../../dist/index.js';
import { KEYWORDS } from '../../dist/query/lexer.js';
import { queryModel } from '../query-model.mjs';

const model = queryModel({ JsonNumber, formatRawPath: formatPath, KEYWORDS });

// ---------------------------------------------------------------------------
// Texts

const WS = fc.constantFrom('', '', '', ' ', '\t', '\n', '\r', '  ', ' \r\n');

/** JSON number texts: exact doubles, long integers, fractions, exponents, -0, 1e400. */
const numberText = fc.oneof(
  model.numberText,
  fc.constantFrom('0', '-0', '0.0', '-0.0', '1e400', '-1e400', '1E+2', '1e-400', '100e-2', '0e0', '9007199254740993', '18446744073709551616', '1.50'),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  fc.integer().map(String),
);

/** Strings whose JSON.stringify is their only spelling here (no escapes needed). */
const plainString = fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'é', '😀', '/', '.', '_', '0', ':', ',', '[', '{') , maxLength: 6 });
const key = fc.oneof(plainString, fc.constantFrom('__proto__', 'constructor', 'prototype', 'a', 'a'));

/** A JSON text with random whitespace between tokens (and none, often). */
const spacedJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberText,
    plainString.map((s) => JSON.stringify(s)),
    fc.string({ unit: 'binary', maxLength: 5 }).map((s) => JSON.stringify(s)),
    fc.constantFrom('true', 'false', 'null'),
    fc.array(fc.tuple(WS, tie('value'), WS), { maxLength: 4 }).map((items) => `[${items.map(([a, v, b]) => a + v + b).join(',')}]`),
    fc
      .array(fc.tuple(WS, key, WS, WS, tie('value'), WS), { maxLength: 4 })
      .map((members) => `{${members.map(([a, k, b, c, v, d]) => `${a}${JSON.stringify(k)}${b}:${c}${v}${d}`).join(',')}}`),
  ),
})).value.chain((v) => fc.tuple(WS, WS).map(([a, b]) => a + v + b));

/** The same without whitespace: stringifyJson must give it back exactly. */
const compactJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberText,
    plainString.map((s) => JSON.stringify(s)),
    fc.constantFrom('true', 'false', 'null'),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      // Integer-like keys ("0") come first in any JS object (as with JSON.parse): not compared here.
      .uniqueArray(fc.tuple(key.filter((k) => !/^(0|[1-9][0-9]*)$/.test(k)), tie('value')), { maxLength: 4, selector: ([k]) => k })
      .map((members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).value;

const SOUP = ['{', '}', '[', ']', ',', ':', '"', '\\', '"a"', '1', '-', '0', '.', 'e', 'E', '+', 'true', 'tru', 'null', 'nul', 'false',
  ' ', '\t', '\n', '\u0000', '\u001f', '\\u', '\\u12', '\\x', '\ud800', '\udc00', '😀', '\u2028', '\ufeff', '01', '1.', '1e', '"\\"'];

/** Valid text with one to three edits: delete, insert, replace, cut, duplicate. */
const mutated = fc
  .tuple(
    spacedJson,
    fc.array(fc.tuple(fc.nat(), fc.nat(6), fc.constantFrom(...SOUP), fc.constantFrom('delete', 'insert', 'replace', 'cut', 'dup')), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .map(([text, edits]) => {
    let t = text;
    for (const [at, len, piece, kind] of edits) {
      const i = t.length === 0 ? 0 : at % (t.length + 1);
      if (kind === 'delete') t = t.slice(0, i) + t.slice(i + 1 + len);
      else if (kind === 'insert') t = t.slice(0, i) + piece + t.slice(i);
      else if (kind === 'replace') t = t.slice(0, i) + piece + t.slice(i + 1);
      else if (kind === 'cut') t = t.slice(0, i);
      else t = t.slice(0, i) + t.slice(i, i + len) + t.slice(i);
    }
    return t;
  });

const anyText = fc.oneof(
  spacedJson,
  mutated,
  mutated,
  fc.array(fc.constantFrom(...SOUP), { maxLength: 20 }).map((a) => a.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.json(),
);

// ---------------------------------------------------------------------------
// Checks

function jsonParse(text) {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function codePointColumn(text, offset) {
  let col = 1;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < offset) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    col++;
  }
  return col;
}

/** Deep equality of a lossless value with JSON.parse's: own keys in order, numbers by value (-0 included). */
function sameValue(lossless, plain, where = '$') {
  if (lossless instanceof JsonNumber) {
    assert.equal(typeof plain, 'number', `${where}: number`);
    assert.ok(Object.is(lossless.value, plain), `${where}: ${lossless.raw} is ${plain}`);
    // A JsonNumber is kept only where the double is not exact for the text.
    const n = Number(lossless.raw);
    assert.ok(!(String(n) === lossless.raw && (Number.isSafeInteger(n) || !Number.isInteger(n))), `${where}: ${lossless.raw} need not be a JsonNumber`);
    return;
  }
  if (typeof lossless === 'number') {
    assert.ok(Object.is(lossless, plain), `${where}: ${lossless} is ${plain}`);
    return;
  }
  if (Array.isArray(lossless)) {
    assert.ok(Array.isArray(plain), `${where}: array`);
    assert.equal(lossless.length, plain.length, `${where}: length`);
    lossless.forEach((v, i) => sameValue(v, plain[i], `${where}[${i}]`));
    return;
  }
  if (lossless !== null && typeof lossless === 'object') {
    assert.ok(plain !== null && typeof plain === 'object' && !Array.isArray(plain), `${where}: object`);
    assert.equal(Object.getPrototypeOf(lossless), Object.prototype, `${where}: plain object`);
    assert.deepEqual(Object.keys(lossless), Object.keys(plain), `${where}: keys`);
    for (const k of Object.keys(plain)) sameValue(lossless[k], plain[k], `${where}.${k}`);
    return;
  }
  assert.equal(lossless, plain, where);
}

function hasJsonNumber(v) {
  if (v instanceof JsonNumber) return true;
  if (Array.isArray(v)) return v.some(hasJsonNumber);
  if (v !== null && typeof v === 'object') return Object.keys(v).some((k) => hasJsonNumber(v[k]));
  return false;
}

function checkLocator(text) {
  const parsed = jsonParse(text);
  const err = locateJsonError(text);
  if (parsed.ok) {
    assert.equal(err, null, `JSON.parse accepts ${JSON.stringify(text)} but locateJsonError says ${err && err.message}`);
    sameValue(parseLossless(text), parsed.value);
    return;
  }
  assert.notEqual(err, null, `JSON.parse rejects ${JSON.stringify(text)} but locateJsonError finds nothing`);
  assert.ok(err.offset >= 0 && err.offset <= text.length, 'offset in range');
  assert.equal(err.column, codePointColumn(text, err.offset), 'column');
  assert.ok(err.message.length > 0 && !err.message.includes('\n'), 'one-line message');
  // The text before the offset is a prefix of some JSON text...
  const before = locateJsonError(text.slice(0, err.offset));
  assert.ok(before === null || before.offset === err.offset, `prefix before ${err.offset} already fails at ${before && before.offset}`);
  // ...and with the offending character it no longer is.
  if (err.offset < text.length) assert.equal(locateJsonError(text.slice(0, err.offset + 1))?.offset, err.offset, 'the character at the offset is the bad one');
  assert.throws(() => parseLossless(text), (e) => e instanceof SyntaxError && e.message === err.message);
}

export const properties = [
  {
    name: 'locator-vs-JSON.parse',
    description: 'locateJsonError is null exactly when JSON.parse succeeds; the offset is the first bad character; parseLossless agrees',
    property: () => fc.property(anyText, checkLocator),
  },
  {
    name: 'digits-round-trip',
    description: 'stringifyJson(parseLossless(text)) is the compact text itself: every number digit for digit',
    property: () =>
      fc.property(compactJson, (text) => {
        assert.equal(stringifyJson(parseLossless(text)), text);
      }),
  },
  {
    name: 'needsLossless-no-false-negative',
    description: 'when needsLossless(text) is false, JSON.parse is exact: parseLossless holds no JsonNumber',
    property: () =>
      fc.property(spacedJson, (text) => {
        const v = parseLossless(text);
        if (!needsLossless(text)) assert.ok(!hasJsonNumber(v), `needsLossless missed a number in ${JSON.stringify(text)}`);
        sameValue(v, JSON.parse(text));
      }),
  },
  {
    name: 'compare-numbers-exact',
    description: 'compareJsonNumbers agrees with a BigInt decimal reference (texts, JsonNumbers and doubles)',
    property: () =>
      fc.property(numberText, numberText, (a, b) => {
        const ref = Math.sign(model.compareDecimals(model.decimal(a), model.decimal(b)));
        assert.equal(compareJsonNumbers(a, b), ref, `${a} vs ${b}`);
        assert.equal(compareJsonNumbers(new JsonNumber(a), new JsonNumber(b)), ref);
        assert.equal(compareJsonNumbers(b, a), -ref || 0);
        const x = Number(a);
        if (Number.isFinite(x) && String(x) === a) assert.equal(compareJsonNumbers(x, b), ref, `${x} (double) vs ${b}`);
      }),
  },
];

/** The generators, for inspection (fc.sample). */
export const arbitraries = { spacedJson, compactJson, mutated, anyText };
