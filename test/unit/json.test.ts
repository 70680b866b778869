import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { JsonNumber, type JsonValue } from '../../src/core/json/value.js';
import { type JsonSyntaxError, locateJsonError, parseLossless, needsLossless } from '../../src/core/json/parse.js';
import { stringifyJson } from '../../src/core/json/stringify.js';
import { compareJsonNumbers, isJsonInteger } from '../../src/core/json/decimal.js';

/* ------------------------------------------------------------------------- */
/* Helpers and generators                                                     */
/* ------------------------------------------------------------------------- */

function jsonParseAccepts(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** What JSON.parse would return: every JsonNumber replaced by Number(raw). Test-sized values only. */
function toPlain(value: JsonValue): unknown {
  if (value instanceof JsonNumber) return Number(value.raw);
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      Object.defineProperty(out, key, { value: toPlain(value[key]), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

function containsJsonNumber(value: JsonValue): boolean {
  const pending: JsonValue[] = [value];
  while (pending.length > 0) {
    const v = pending.pop() as JsonValue;
    if (v instanceof JsonNumber) return true;
    if (Array.isArray(v)) pending.push(...v);
    else if (v !== null && typeof v === 'object') pending.push(...Object.values(v));
  }
  return false;
}

/** Every message has one of these shapes. */
const MESSAGE_SHAPE =
  /^(?:expected .+, found (?:end of line|'.+'|"'")|leading zero in number|invalid escape .+ in string|unescaped control character U\+00[01][0-9A-F] in string|unterminated string, found end of line)$/su;

/**
 * The contract of an error location: the column counts code points before
 * the offset, the text before the offset is a viable prefix of some JSON text
 * (its only problem, if any, is that it ends), and adding the offending
 * character makes it non-viable at that same offset.
 */
function checkErrorContract(text: string, error: JsonSyntaxError): void {
  expect(error.offset).toBeGreaterThanOrEqual(0);
  expect(error.offset).toBeLessThanOrEqual(text.length);
  expect(error.column).toBe(1 + [...text.slice(0, error.offset)].length);
  expect(error.message).toMatch(MESSAGE_SHAPE);
  const prefixError = locateJsonError(text.slice(0, error.offset));
  if (prefixError !== null) expect(prefixError.offset).toBe(error.offset);
  if (error.offset < text.length) {
    expect(locateJsonError(text.slice(0, error.offset + 1))?.offset).toBe(error.offset);
  } else {
    expect(error.message).toMatch(/end of line$/);
  }
}

/** Validity must agree with JSON.parse; values must agree after JsonNumber -> Number. */
function checkAgainstJsonParse(text: string): void {
  const error = locateJsonError(text);
  expect(error === null).toBe(jsonParseAccepts(text));
  if (error === null) {
    expect(toPlain(parseLossless(text))).toEqual(JSON.parse(text));
  } else {
    checkErrorContract(text, error);
    expect(() => parseLossless(text)).toThrow(new SyntaxError(error.message));
  }
}

const digitString = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

/** Any JSON number text (RFC 8259 §6), biased to non-canonical forms. */
const syntheticNumberText: fc.Arbitrary<string> = fc
  .tuple(
    fc.boolean(),
    fc.oneof(fc.constant('0'), fc.tuple(fc.constantFrom(...'123456789'), digitString(0, 24)).map(([a, b]) => a + b)),
    fc.option(digitString(1, 20), { nil: undefined }),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digitString(1, 3)), { nil: undefined }),
  )
  .map(([minus, int, frac, exp]) => (minus ? '-' : '') + int + (frac === undefined ? '' : '.' + frac) + (exp === undefined ? '' : exp.join('')));

const numberText: fc.Arbitrary<string> = fc.oneof(
  syntheticNumberText,
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer().map(String),
  fc.bigInt().map(String),
  fc.constantFrom('9007199254740991', '9007199254740992', '-9007199254740991', '-9007199254740992', '-0', '0', '1e21', '1e+21', '5e-7', '0.1'),
);

/** A JSON text with arbitrary whitespace and escapes, and its canonical compact form. */
interface Doc {
  spaced: string;
  compact: string;
}

const whitespace = fc.constantFrom('', '', '', ' ', '\t', '\n', '\r\n', '  ');

const stringContent = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: fc.constantFrom('a', '"', '\\', '/', '\u0000', '\u001f', '\b', '\n', '\ud800', '\udfff', '\u2028', '😀', 'é'), maxLength: 8 }),
);

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function unicodeEscape(code: number, upper: boolean): string {
  const hex = code.toString(16).padStart(4, '0');
  return '\\u' + (upper ? hex.toUpperCase() : hex);
}

/** Encodes each code unit raw (when allowed), as a short escape or as \uHHHH, by `choices`. */
function encodeString(s: string, choices: number[]): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    const choice = choices[i % choices.length];
    const mustEscape = ch === '"' || ch === '\\' || code < 0x20;
    if (choice >= 2) out += unicodeEscape(code, choice === 3);
    else if (!mustEscape) out += ch === '/' && choice === 1 ? '\\/' : ch;
    else out += SHORT_ESCAPES[ch] ?? unicodeEscape(code, false);
  }
  return out + '"';
}

const stringDoc = (prefix: string): fc.Arbitrary<Doc> =>
  fc
    .tuple(stringContent, fc.array(fc.nat(3), { minLength: 1, maxLength: 5 }))
    .map(([content, choices]) => ({ spaced: encodeString(prefix + content, choices), compact: JSON.stringify(prefix + content) }));

const docArbitraries = fc.letrec<{ value: Doc; leaf: Doc; array: Doc; object: Doc }>((tie) => ({
  value: fc.oneof({ maxDepth: 4, depthIdentifier: 'doc' }, tie('leaf'), tie('array'), tie('object')),
  leaf: fc.oneof(
    numberText.map((t) => ({ spaced: t, compact: t })),
    fc.constantFrom('true', 'false', 'null').map((t) => ({ spaced: t, compact: t })),
    stringDoc(''),
  ),
  array: fc
    .tuple(whitespace, fc.array(fc.tuple(whitespace, tie('value'), whitespace), { maxLength: 4 }))
    .map(([empty, items]) => ({
      spaced: '[' + (items.length === 0 ? empty : items.map(([a, v, b]) => a + v.spaced + b).join(',')) + ']',
      compact: '[' + items.map(([, v]) => v.compact).join(',') + ']',
    })),
  // Keys start with "k" so that none is integer-like: JS objects list
  // integer-like keys first, which would reorder the compact text.
  object: fc
    .tuple(
      whitespace,
      fc.uniqueArray(fc.tuple(stringDoc('k'), whitespace, whitespace, whitespace, tie('value'), whitespace), {
        maxLength: 4,
        selector: ([key]) => key.compact,
      }),
    )
    .map(([empty, members]) => ({
      spaced:
        '{' +
        (members.length === 0 ? empty : members.map(([k, a, b, c, v, d]) => a + k.spaced + b + ':' + c + v.spaced + d).join(',')) +
        '}',
      compact: '{' + members.map(([k, , , , v]) => k.compact + ':' + v.compact).join(',') + '}',
    })),
}));

const doc: fc.Arbitrary<Doc> = fc
  .tuple(whitespace, docArbitraries.value, whitespace)
  .map(([a, d, b]) => ({ spaced: a + d.spaced + b, compact: d.compact }));

/** Characters that matter to the JSON grammar, plus troublemakers. */
const ALPHABET = [
  '{', '}', '[', ']', ':', ',', '"', '\\', '/', ' ', '\t', '\n', '\r',
  '0', '1', '9', '-', '+', '.', 'e', 'E', 't', 'r', 'u', 'f', 'a', 'l', 's', 'n', 'b', 'x', 'A', 'F',
  '\u0000', '\u0001', '\u001f', '\u007f', '\u00a0', '\u2028', '\ufeff', 'é', '😀', '\ud800', '\udc00', "'",
];

const validText = fc.oneof(fc.json(), doc.map((d) => d.spaced));

const edit = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('insert', 'delete', 'replace'),
  ch: fc.constantFrom(...ALPHABET),
});

const mutatedText = fc.tuple(validText, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([text, edits]) => {
  let t = text;
  for (const { at, op, ch } of edits) {
    const i = t.length === 0 ? 0 : at % (t.length + (op === 'insert' ? 1 : 0));
    if (op === 'insert') t = t.slice(0, i) + ch + t.slice(i);
    else if (op === 'delete') t = t.slice(0, i) + t.slice(i + 1);
    else t = t.slice(0, i) + ch + t.slice(i + 1);
  }
  return t;
});

const alphabetText = fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 24 });

/* ------------------------------------------------------------------------- */
/* locateJsonError and parseLossless against JSON.parse                       */
/* ------------------------------------------------------------------------- */

describe('locateJsonError and parseLossless agree with JSON.parse', () => {
  it('accepts every text fc.json() generates and parses it to the same value', () => {
    fc.assert(fc.property(fc.json(), checkAgainstJsonParse), { numRuns: 1000 });
  });

  it('accepts texts with any whitespace, escapes and number forms and parses them to the same value', () => {
    fc.assert(fc.property(doc, (d) => checkAgainstJsonParse(d.spaced)), { numRuns: 1000 });
  });

  it('agrees on validity with JSON.parse for randomly mutated JSON texts, and locates errors consistently', () => {
    fc.assert(fc.property(mutatedText, checkAgainstJsonParse), { numRuns: 3000 });
  });

  it('agrees on validity with JSON.parse for random strings over a JSON-ish alphabet', () => {
    fc.assert(fc.property(alphabetText, checkAgainstJsonParse), { numRuns: 3000 });
  });

  it('agrees with JSON.parse on grammar corner cases', () => {
    const valid = [
      '0', '-0', '0e0', '1E-0', '1e+10', '0.0', '-0.0e-0', '[]', '{}', '""', ' \t\n\r1\r\n ', '[[]]', '{"":{}}',
      '"\\ud800"', '"\\udc00\\ud800"', '"\ud800"', '"\u2028\u2029"', '"\\/"', '"\u007f"', '"😀"', '"\\uD83D\\uDE00"',
    ];
    for (const text of valid) {
      expect(jsonParseAccepts(text)).toBe(true);
      expect(locateJsonError(text)).toBeNull();
      checkAgainstJsonParse(text);
    }
    const invalid = ['', ' ', '\u00a0', '\ufeff1', '1\u2028', '+1', '.1', '1.', '01', '-', '0x1', 'NaN', '[1,]', '{"a":1,}', "'a'", '"\\a"', '"\t"', '1 1'];
    for (const text of invalid) {
      expect(jsonParseAccepts(text)).toBe(false);
      checkAgainstJsonParse(text);
    }
  });
});

/* ------------------------------------------------------------------------- */
/* Error messages and columns                                                 */
/* ------------------------------------------------------------------------- */

describe('locateJsonError reports the first offending character', () => {
  // [input, column, offset, message]; one row per kind of message.
  const cases: [string, number, number, string][] = [
    // a missing value
    ['', 1, 0, 'expected a value, found end of line'],
    ['   ', 4, 3, 'expected a value, found end of line'],
    ['+1', 1, 0, "expected a value, found '+'"],
    ['.5', 1, 0, "expected a value, found '.'"],
    ['NaN', 1, 0, "expected a value, found 'N'"],
    ['True', 1, 0, "expected a value, found 'T'"],
    ["'a'", 1, 0, `expected a value, found "'"`],
    ['[1,]', 4, 3, "expected a value, found ']'"],
    ['[1,', 4, 3, 'expected a value, found end of line'],
    ['{"a":}', 6, 5, "expected a value, found '}'"],
    ['[', 2, 1, "expected a value or ']', found end of line"],
    ['[,1]', 2, 1, "expected a value or ']', found ','"],
    // arrays
    ['[1 2]', 4, 3, "expected ',' or ']' after an array element, found '2'"],
    ['[1}', 3, 2, "expected ',' or ']' after an array element, found '}'"],
    ['[1', 3, 2, "expected ',' or ']' after an array element, found end of line"],
    // objects
    ['{', 2, 1, "expected a string key or '}', found end of line"],
    ['{a:1}', 2, 1, "expected a string key or '}', found 'a'"],
    ["{'a':1}", 2, 1, `expected a string key or '}', found "'"`],
    ['{"a":1,}', 8, 7, "expected a string key, found '}'"],
    ['{"a":1,1:2}', 8, 7, "expected a string key, found '1'"],
    ['{"a" "b"}', 6, 5, `expected ':' after an object key, found '"'`],
    ['{"a"}', 5, 4, "expected ':' after an object key, found '}'"],
    ['{"a":1]', 7, 6, "expected ',' or '}' after an object member, found ']'"],
    ['{"a":1 "b":2}', 8, 7, `expected ',' or '}' after an object member, found '"'`],
    // after the value: one value per text
    ['1 2', 3, 2, "expected end of line after the JSON value, found '2'"],
    ['{} {}', 4, 3, "expected end of line after the JSON value, found '{'"],
    ['[1]]', 4, 3, "expected end of line after the JSON value, found ']'"],
    ['null,', 5, 4, "expected end of line after the JSON value, found ','"],
    ['truex', 5, 4, "expected end of line after the JSON value, found 'x'"],
    ['0x10', 2, 1, "expected end of line after the JSON value, found 'x'"],
    // numbers
    ['01', 2, 1, 'leading zero in number'],
    ['-01', 3, 2, 'leading zero in number'],
    ['[00]', 3, 2, 'leading zero in number'],
    ['-', 2, 1, "expected a digit after '-', found end of line"],
    ['-a', 2, 1, "expected a digit after '-', found 'a'"],
    ['-.5', 2, 1, "expected a digit after '-', found '.'"],
    ['1.', 3, 2, "expected a digit after '.', found end of line"],
    ['1.e5', 3, 2, "expected a digit after '.', found 'e'"],
    ['1e', 3, 2, "expected a digit after 'e', found end of line"],
    ['1E+', 4, 3, "expected a digit after 'E+', found end of line"],
    ['1e-x', 4, 3, "expected a digit after 'e-', found 'x'"],
    // literals
    ['nul', 4, 3, "expected 'l' to complete 'null', found end of line"],
    ['fals3', 5, 4, "expected 'e' to complete 'false', found '3'"],
    ['tRUE', 2, 1, "expected 'r' to complete 'true', found 'R'"],
    // strings
    ['"abc', 5, 4, 'unterminated string, found end of line'],
    ['"\\', 3, 2, 'unterminated string, found end of line'],
    ['"\\u00', 6, 5, 'unterminated string, found end of line'],
    ['["a\\"]', 7, 6, 'unterminated string, found end of line'],
    ['"\\x"', 3, 2, "invalid escape '\\x' in string"],
    ['"\\U0041"', 3, 2, "invalid escape '\\U' in string"],
    ['"\\\'"', 3, 2, "invalid escape '\\'' in string"],
    ['"\\\u0001"', 3, 2, "invalid escape '\\' followed by U+0001 in string"],
    ['"\\u00G0"', 6, 5, "expected a hex digit in '\\u' escape, found 'G'"],
    ['"\\u12"', 6, 5, `expected a hex digit in '\\u' escape, found '"'`],
    ['"a\u0001"', 3, 2, 'unescaped control character U+0001 in string'],
    ['"a\tb"', 3, 2, 'unescaped control character U+0009 in string'],
    ['"\u0000"', 2, 1, 'unescaped control character U+0000 in string'],
    ['"\u001f"', 2, 1, 'unescaped control character U+001F in string'],
    // unprintable characters are shown escaped; whitespace is only space, \t, \n, \r
    ['\u00a01', 1, 0, "expected a value, found '\\u00a0'"],
    ['\ufeff{}', 1, 0, "expected a value, found '\\ufeff'"],
    ['1\u2028', 2, 1, "expected end of line after the JSON value, found '\\u2028'"],
    ['"a"\u0000', 4, 3, "expected end of line after the JSON value, found '\\u0000'"],
    ['\ud800', 1, 0, "expected a value, found '\\ud800'"],
    ['[1\u007f]', 3, 2, "expected ',' or ']' after an array element, found '\\u007f'"],
    // columns count code points: a surrogate pair is one column
    ['😀', 1, 0, "expected a value, found '😀'"],
    ['["😀" x]', 6, 6, "expected ',' or ']' after an array element, found 'x'"],
    ['"😀😀"😀', 5, 6, "expected end of line after the JSON value, found '😀'"],
    ['{"é":1,"\ud800":2,}', 14, 13, "expected a string key, found '}'"],
  ];

  it.each(cases)('reports %j at column %i (offset %i) with the message %j', (input, column, offset, message) => {
    expect(jsonParseAccepts(input)).toBe(false);
    const error = locateJsonError(input);
    expect(error).toEqual({ code: 'json', column, offset, message });
    checkErrorContract(input, error as JsonSyntaxError);
  });

  it('throws a SyntaxError from parseLossless with the same message', () => {
    for (const [input, , , message] of cases) {
      expect(() => parseLossless(input)).toThrow(SyntaxError);
      expect(() => parseLossless(input)).toThrow(message);
    }
  });

  it('returns null for valid texts', () => {
    expect(locateJsonError('{"a":[1,2,{"b":null}],"c":"\\u00e9"}')).toBeNull();
    expect(locateJsonError('  true  ')).toBeNull();
  });
});

/* ------------------------------------------------------------------------- */
/* Deep nesting                                                               */
/* ------------------------------------------------------------------------- */

describe('deep nesting does not overflow the stack', () => {
  const depth = 100_000;
  const balancedArrays = '['.repeat(depth) + ']'.repeat(depth);
  const nestedObjects = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

  /** Depth of a chain of single-element arrays / single-member objects, without recursion. */
  function chainDepth(value: JsonValue): number {
    let n = 0;
    let v: JsonValue | undefined = value;
    while (v !== null && typeof v === 'object' && !(v instanceof JsonNumber)) {
      n++;
      v = Array.isArray(v) ? v[0] : v['a'];
    }
    return n;
  }

  it('locates the end of 100,000 unclosed brackets', () => {
    const text = '['.repeat(depth);
    expect(locateJsonError(text)).toEqual({ code: 'json', column: depth + 1, offset: depth, message: "expected a value or ']', found end of line" });
    expect(() => parseLossless(text)).toThrow(SyntaxError);
  });

  it('locates a wrong closer after 100,000 nested arrays', () => {
    const text = '['.repeat(depth) + '1' + ']'.repeat(depth - 1) + '}';
    expect(locateJsonError(text)).toEqual({
      code: 'json',
      column: 2 * depth + 1,
      offset: 2 * depth,
      message: "expected ',' or ']' after an array element, found '}'",
    });
  });

  it('accepts, parses and serialises 100,000 balanced nested arrays', () => {
    expect(locateJsonError(balancedArrays)).toBeNull();
    const value = parseLossless(balancedArrays);
    expect(chainDepth(value)).toBe(depth);
    expect(stringifyJson(value)).toBe(balancedArrays);
  });

  it('accepts, parses and serialises 100,000 nested objects', () => {
    expect(locateJsonError(nestedObjects)).toBeNull();
    const value = parseLossless(nestedObjects);
    expect(chainDepth(value)).toBe(depth);
    expect(stringifyJson(value)).toBe(nestedObjects);
  });
});

/* ------------------------------------------------------------------------- */
/* parseLossless                                                              */
/* ------------------------------------------------------------------------- */

describe('parseLossless', () => {
  it.each([
    ['0', 0],
    ['-12', -12],
    ['3.5', 3.5],
    ['0.1', 0.1],
    ['5e-7', 5e-7],
    ['9007199254740991', 9007199254740991],
    ['-9007199254740991', -9007199254740991],
  ])('keeps %s as a plain number because its double is exact for the text', (raw, expected) => {
    const value = parseLossless(raw);
    expect(typeof value).toBe('number');
    expect(value).toBe(expected);
  });

  it.each([
    '1.50',
    '-0',
    '1e2',
    '1E400',
    '-1e-400',
    '0.1e1',
    '1.0',
    '100e-2',
    '1e21',
    '1e+21',
    '9007199254740992',
    '-9007199254740992',
    '18446744073709551615',
    '123456789012345678901234567890.5',
  ])('keeps %s as a JsonNumber with its raw text', (raw) => {
    const value = parseLossless(`[${raw}]`);
    expect(value).toEqual([new JsonNumber(raw)]);
    const n = (value as JsonValue[])[0] as JsonNumber;
    expect(n).toBeInstanceOf(JsonNumber);
    expect(n.raw).toBe(raw);
    expect(Object.is(n.value, Number(raw))).toBe(true);
  });

  it('decides plain number versus JsonNumber exactly by String(Number(raw)) and safety', () => {
    fc.assert(
      fc.property(numberText, (raw) => {
        const value = parseLossless(raw);
        const n = Number(raw);
        const exact = String(n) === raw && (Number.isSafeInteger(n) || !Number.isInteger(n));
        if (exact) expect(value).toBe(n);
        else expect(value).toEqual(new JsonNumber(raw));
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes strings exactly as JSON.parse does, lone surrogates included', () => {
    const text = '["a\\u0041\\n\\t\\"\\\\\\/\\b\\f\\r", "\\ud800", "\\udc00x", "\\uD83D\\uDE00", "\ud800raw", "😀"]';
    expect(parseLossless(text)).toEqual(JSON.parse(text));
    expect(parseLossless('"\\ud800"')).toBe('\ud800');
  });

  it('lets the last of duplicate keys win, keeping the first position like JSON.parse', () => {
    const text = '{"a":1,"b":2,"a":3}';
    const value = parseLossless(text);
    expect(value).toEqual({ a: 3, b: 2 });
    expect(Object.keys(value as object)).toEqual(Object.keys(JSON.parse(text) as object));
  });

  it('makes "__proto__" an own data property without touching any prototype', () => {
    const value = parseLossless('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}}}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(value, '__proto__')).toBe(true);
    expect(Object.keys(value as object)).toEqual(['__proto__', 'constructor']);
    const proto = Object.getOwnPropertyDescriptor(value, '__proto__');
    expect(proto?.value).toEqual({ polluted: 1 });
    expect(proto?.enumerable).toBe(true);
    expect((value as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(toPlain(value)).toEqual(JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}}}'));
  });

  it('lets the last duplicate "__proto__" win as well', () => {
    const value = parseLossless('{"__proto__":1,"__proto__":[2]}');
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual([2]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('builds plain objects and arrays', () => {
    const value = parseLossless('{"a":[{}]}') as { a: JsonValue[] };
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Array.isArray(value.a)).toBe(true);
    expect(Object.getPrototypeOf(value.a[0])).toBe(Object.prototype);
  });
});

/* ------------------------------------------------------------------------- */
/* needsLossless                                                              */
/* ------------------------------------------------------------------------- */

describe('needsLossless', () => {
  it('is true whenever parseLossless produces a JsonNumber (no false negatives)', () => {
    fc.assert(
      fc.property(doc, (d) => {
        if (containsJsonNumber(parseLossless(d.spaced))) expect(needsLossless(d.spaced)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(numberText, (raw) => {
        const text = `{"n":[${raw}]}`;
        if (containsJsonNumber(parseLossless(text))) expect(needsLossless(text)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('is false for typical events whose numbers are all small integers', () => {
    expect(needsLossless('{"pid":12345,"ts":1700000000000,"args":["-l","a-b"],"ok":true,"n":-7}')).toBe(false);
    expect(needsLossless('[999999999999999,-999999999999999]')).toBe(false);
  });

  it('is true for fractions, exponents, negative zero and integers of 16 digits or more', () => {
    for (const text of ['[1.5]', '[1e2]', '[1E2]', '[-0]', '[-0.0]', '[9007199254740993]', '[1234567890123456]']) {
      expect(needsLossless(text)).toBe(true);
    }
  });

  it('may be true for strings that merely look like numbers (a harmless false positive)', () => {
    expect(needsLossless('{"v":["1.2.3"]}')).toBe(false);
    expect(needsLossless('{"v":"a,1.5"}')).toBe(true);
    expect(containsJsonNumber(parseLossless('{"v":"a,1.5"}'))).toBe(false);
  });

  it('is false for date-times with fractional seconds inside strings', () => {
    expect(needsLossless('{"date":"2024-08-01T12:00:00.123456789Z","pid":42}')).toBe(false);
  });

  it('sees numbers after whitespace, at the start, and after a key with space before its colon', () => {
    for (const text of ['1.5', ' -0', '{"a" : 1.0}', '[ 1e5 ]', '{"a":\n\t12345678901234567}', '[1,\r2.0]']) {
      expect(needsLossless(text)).toBe(true);
    }
  });
});

/* ------------------------------------------------------------------------- */
/* stringifyJson                                                              */
/* ------------------------------------------------------------------------- */

describe('stringifyJson', () => {
  it('equals JSON.stringify for values without JsonNumbers', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(stringifyJson(value as JsonValue)).toBe(JSON.stringify(value));
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips fc.json() texts exactly like JSON.stringify(JSON.parse(text))', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(stringifyJson(parseLossless(text))).toBe(JSON.stringify(JSON.parse(text)));
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips any text to its compact form, numbers keeping their raw text', () => {
    fc.assert(
      fc.property(doc, (d) => {
        expect(stringifyJson(parseLossless(d.spaced))).toBe(d.compact);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes a JsonNumber as its raw text', () => {
    const value: JsonValue = { big: new JsonNumber('18446744073709551615'), f: new JsonNumber('1.50'), z: new JsonNumber('-0') };
    expect(stringifyJson(value)).toBe('{"big":18446744073709551615,"f":1.50,"z":-0}');
    expect(JSON.stringify(value)).toBe('{"big":18446744073709552000,"f":1.5,"z":0}');
  });

  it('escapes lone surrogates and writes keys in own-key order', () => {
    expect(stringifyJson(['\ud800', '😀', '\u2028'])).toBe('["\\ud800","😀","\u2028"]');
    expect(stringifyJson({ b: 1, a: 2, 1: 3 })).toBe('{"1":3,"b":1,"a":2}');
  });

  it('writes non-finite numbers and undefined elements as null and skips undefined members, like JSON.stringify', () => {
    const value = { a: [Number.NaN, Infinity, undefined], b: undefined, c: 1 } as unknown as JsonValue;
    expect(stringifyJson(value)).toBe(JSON.stringify(value));
    expect(stringifyJson(value)).toBe('{"a":[null,null,null],"c":1}');
  });

  it('rejects circular structures with a TypeError', () => {
    const a: JsonValue[] = [];
    a.push(a);
    expect(() => stringifyJson(a)).toThrow(TypeError);
    const shared = [1];
    expect(stringifyJson([shared, shared])).toBe('[[1],[1]]');
  });
});

/* ------------------------------------------------------------------------- */
/* compareJsonNumbers and isJsonInteger                                        */
/* ------------------------------------------------------------------------- */

/** Exact value of a number text as mantissa × 10^exponent (test oracle, small exponents only). */
function exactDecimal(text: string): { mantissa: bigint; exponent: number } {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (match === null) throw new Error(`bad number text ${text}`);
  const fraction = match[3] ?? '';
  return { mantissa: BigInt(match[1] + match[2] + fraction), exponent: Number(match[4] ?? '0') - fraction.length };
}

function oracleCompare(a: string, b: string): -1 | 0 | 1 {
  const x = exactDecimal(a);
  const y = exactDecimal(b);
  const e = Math.min(x.exponent, y.exponent);
  const xs = x.mantissa * 10n ** BigInt(x.exponent - e);
  const ys = y.mantissa * 10n ** BigInt(y.exponent - e);
  return xs < ys ? -1 : xs > ys ? 1 : 0;
}

function oracleIsInteger(text: string): boolean {
  const { mantissa, exponent } = exactDecimal(text);
  return exponent >= 0 || mantissa % 10n ** BigInt(-exponent) === 0n;
}

/** A number text and the same value written differently: more zeros, the point moved, another 'e'. */
const sameValueVariant = fc
  .tuple(syntheticNumberText, fc.integer({ min: -5, max: 5 }), fc.nat(3), fc.boolean())
  .map(([text, shift, zeros, upper]): [string, string] => {
    const { mantissa, exponent } = exactDecimal(text);
    const e = upper ? 'E' : 'e';
    if (mantissa === 0n) return [text, `-0.${'0'.repeat(zeros + 1)}${e}${shift}`];
    const sign = mantissa < 0n ? '-' : '';
    // value = digits × 10^(exponent - zeros)
    const digits = (mantissa < 0n ? -mantissa : mantissa).toString() + '0'.repeat(zeros);
    const scale = exponent - zeros;
    if (shift < 0) return [text, `${sign}0.${digits}${e}${scale + digits.length}`];
    if (shift > 0 && shift < digits.length) {
      return [text, `${sign}${digits.slice(0, -shift)}.${digits.slice(-shift)}${e}${scale + shift}`];
    }
    return [text, `${sign}${digits}${e}${scale}`];
  });

describe('compareJsonNumbers', () => {
  it.each([
    ['18446744073709551615', '18446744073709551616', -1],
    ['18446744073709551617', '18446744073709551616', 1],
    ['1.0', '1', 0],
    ['1e2', '100', 0],
    ['1E+2', '100.000', 0],
    ['-0', '0', 0],
    ['-0.0e5', '0', 0],
    ['0.1e1', '1', 0],
    ['-1', '0', -1],
    ['-2', '-1', -1],
    ['-1.5', '-1.25', -1],
    ['1e-400', '0', 1],
    ['-1e-400', '0', -1],
    ['1e400', '1e399', 1],
    ['123.456', '123.4560000000000000000000001', -1],
    ['1e99999999999999999999', '10e99999999999999999998', 0],
    ['1e99999999999999999999', '1e99999999999999999998', 1],
    ['1e-99999999999999999999', '1e-99999999999999999998', -1],
    ['1e0000000000000000000000000001', '10', 0],
  ] as const)('compares %s with %s as %i', (a, b, expected) => {
    expect(compareJsonNumbers(a, b)).toBe(expected);
    expect(compareJsonNumbers(b, a)).toBe(-expected || 0);
    expect(compareJsonNumbers(new JsonNumber(a), new JsonNumber(b))).toBe(expected);
  });

  it('treats a plain number as its shortest round-trip text', () => {
    expect(compareJsonNumbers(0.1, '0.1')).toBe(0);
    expect(compareJsonNumbers(0.1, '0.1000000000000000055511151231257827021181583404541015625')).toBe(-1);
    expect(compareJsonNumbers(1e21, '1000000000000000000000')).toBe(0);
    expect(compareJsonNumbers(-0, '0')).toBe(0);
    expect(compareJsonNumbers(9007199254740993, '9007199254740992')).toBe(0); // the literal rounds to 2^53
    expect(compareJsonNumbers(5e-324, '0')).toBe(1);
  });

  it('agrees with an exact BigInt oracle for arbitrary number texts', () => {
    fc.assert(
      fc.property(syntheticNumberText, syntheticNumberText, (a, b) => {
        expect(compareJsonNumbers(a, b)).toBe(oracleCompare(a, b));
        expect(compareJsonNumbers(a, b)).toBe(-compareJsonNumbers(b, a) || 0);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds numbers equal when they are the same value written differently', () => {
    fc.assert(
      fc.property(sameValueVariant, ([a, b]) => {
        expect(oracleCompare(a, b)).toBe(0);
        expect(compareJsonNumbers(a, b)).toBe(0);
        expect(compareJsonNumbers(new JsonNumber(a), b)).toBe(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('orders plain doubles exactly as the doubles compare', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(finite, finite, (a, b) => {
        const expected = a < b ? -1 : a > b ? 1 : 0;
        expect(compareJsonNumbers(a, b)).toBe(expected);
        expect(compareJsonNumbers(String(a), new JsonNumber(String(b)))).toBe(expected);
        expect(compareJsonNumbers(a, String(b))).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects texts that are not JSON numbers and non-finite numbers with a RangeError', () => {
    for (const bad of ['abc', '', ' 1', '1 ', '01', '+1', '.5', '1.', '1e', '0x10', 'Infinity']) {
      expect(() => compareJsonNumbers(bad, 1)).toThrow(RangeError);
    }
    expect(() => compareJsonNumbers(Number.NaN, 1)).toThrow(RangeError);
    expect(() => compareJsonNumbers(1, Infinity)).toThrow(RangeError);
  });
});

describe('isJsonInteger', () => {
  it.each([
    ['1.0', true],
    ['1e400', true],
    ['1e-400', false],
    ['18446744073709551616.5', false],
    ['18446744073709551616.000', true],
    ['-0', true],
    ['0.0e-9', true],
    ['12.5e1', true],
    ['12.5e0', false],
    ['1250e-2', false],
    ['1200e-2', true],
    ['1e99999999999999999999', true],
    ['1e-99999999999999999999', false],
  ] as const)('says %s is an integer: %s', (text, expected) => {
    expect(isJsonInteger(text)).toBe(expected);
    expect(isJsonInteger(new JsonNumber(text))).toBe(expected);
  });

  it('agrees with an exact BigInt oracle and with Number.isInteger for plain numbers', () => {
    fc.assert(
      fc.property(syntheticNumberText, (text) => {
        expect(isJsonInteger(text)).toBe(oracleIsInteger(text));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(isJsonInteger(n)).toBe(Number.isInteger(n));
        expect(isJsonInteger(String(n))).toBe(Number.isInteger(n));
      }),
      { numRuns: 2000 },
    );
  });
});
