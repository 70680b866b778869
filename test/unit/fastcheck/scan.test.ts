/**
 * The fast path on hand-written lines: what it proves valid (and the usual way,
 * JSON.parse + ajv, agrees, with the same verdict), and each trap on which it
 * must give up rather than guess.
 */
import { describe, expect, it } from 'vitest';
import { fastCheck } from '../../../src/core/fastcheck/line.js';
import { compileFastSchema } from '../../../src/core/fastcheck/compile.js';
import { scanLine, stoppedAt } from '../../../src/core/fastcheck/scan.js';
import { eventJudge, singleJudge } from '../../../src/core/judge.js';
import { validateLine } from '../../../src/core/validate-line.js';
import { compileValidator } from '../../../src/core/validate.js';

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['agent', 'evt'],
  properties: {
    agent: { type: 'object', additionalProperties: false, properties: { os: { type: 'string' }, version: { type: 'string' }, rule_id: { type: 'string' } } },
    evt: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string' } } },
    n: { type: 'integer' },
    x: { type: 'number' },
    d: { type: 'string', format: 'date-time' },
    list: { type: 'array', items: { $ref: '#/$defs/item' } },
    any: {},
    map: { type: 'object', additionalProperties: { type: 'boolean' } },
    maybe: { type: ['null', 'string'] },
  },
  $defs: { item: { type: 'object', properties: { child: { $ref: '#/$defs/item' } }, required: ['id'] } },
};

const fast = fastCheck({ kind: 'single', name: 'test', schema: SCHEMA })!;
const slow = eventJudge(singleJudge(compileValidator(SCHEMA), 'test'));

function usual(text: string | Buffer) {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  return validateLine({ line: 1, offset: 0, bytes }, slow);
}

function proven(text: string | Buffer) {
  return fast(typeof text === 'string' ? Buffer.from(text) : text);
}

const BASE = '"agent":{"os":"linux"},"evt":{"name":"exec"}';

/** The fast path proves it, and the usual way gives the very same verdict. */
function accepts(text: string | Buffer): void {
  const verdict = proven(text);
  expect(verdict).toBeDefined();
  expect(usual(text)).toStrictEqual(verdict);
}

describe('fast path: lines it proves valid, with the usual verdict', () => {
  it.each([
    `{${BASE}}`,
    ` \t{ ${BASE.replace(/,/g, ' ,\r\n ')} }\r`,
    `{${BASE},"n":0}`,
    `{${BASE},"n":-0}`,
    `{${BASE},"n":18446744073709551615}`,
    `{${BASE},"n":-9223372036854775808}`,
    `{${BASE},"x":4242.00000000000000001}`,
    `{${BASE},"x":-0.5}`,
    `{${BASE},"d":"2016-12-31T23:59:60Z"}`,
    `{${BASE},"d":"2024-02-29t10:00:00.123456789+05:30"}`,
    `{${BASE},"d":"2024-02-29T10:00:0\\u0030z"}`,
    `{${BASE},"any":1e400,"map":{"a":true,"a":false}}`,
    `{${BASE},"any":[{"k":-1.5E-7},null,"\\ud800"]}`,
    `{${BASE},"maybe":null}`,
    `{${BASE},"maybe":"\\u00e9\\n\\/\\"\\\\é☕😀"}`,
    `{${BASE},"list":[{"id":1,"child":{"id":2,"child":{"id":3}}}]}`,
    `{"agent":{"version":"7.71.0","os":"lin\\u0075x"},"evt":{"name":"\\u0065xec"}}`,
    // Keys with escapes are compared decoded, as JSON.parse reads them.
    `{${BASE},"\\u006e":1}`,
    `{"\\u0061gent":{"\\u006fs":"linux","ve\\u0072sion":"7.71.0"},"evt":{"n\\u0061me":"exec"}}`,
    `{${BASE},"map":{"\\"\\\\\\/\\b\\f\\n\\r\\t":true,"\\u00e9\\u2615\\ud83d\\ude00é":false,"${'a'.repeat(200)}\\u0061":true}}`,
    `{${BASE},"list":[{"\\u0069d":1,"ch\\u0069ld":{"id":2}}]}`,
    // Found by fuzz fastcheck/corpus-linux-2024-08: a kind that begins with U+FEFF keeps it.
    `{"agent":{},"evt":{"name":"\ufeffrmdir"}}`,
    `{"agent":{},"evt":{"name":"\ufeff\\u0072mdir"}}`,
  ])('%s', (text) => accepts(text));

  it('reads the kind and the custom agent event from the bytes as JSON.parse does', () => {
    expect(proven(`{"agent":{"rule_id":"heartbeat"},"evt":{"name":"exec"}}`)).toStrictEqual({ status: 'selected', kind: 'exec', custom: 'heartbeat' });
    expect(proven(`{${BASE}}`)).toStrictEqual({ status: 'selected', kind: 'exec', schema: 'test' });
  });

  it('takes an agent custom event that the schema rejects as the usual way does (JSON only)', () => {
    accepts('{"agent":{"rule_id":"ruleset_loaded","os":"linux"},"policies":[{"a":1}]}');
  });
});

describe('fast path: gives up on what it does not prove (the usual way judges)', () => {
  it.each([
    ['an empty line', ''],
    ['a blank line', '  \r'],
    ['not an object', '[1]'],
    ['a line without evt.name (its verdict may name an envelope)', '{"agent":{},"evt":{}}'],
    ['a missing required key', '{"agent":{}}'],
    ['an unknown key of a closed object', `{${BASE},"zzz":1}`],
    ['a key twice', `{${BASE},"n":1,"n":2}`],
    ['evt twice (JSON.parse keeps the last)', `{${BASE},"evt":{"name":"open"}}`],
    ['a key spelled with a lone surrogate escape', `{${BASE},"map":{"\\ud800":true}}`],
    ['a high surrogate escape followed by no low one', `{${BASE},"map":{"\\ud83d\\u0041":true}}`],
    ['a known key twice, once with an escape (JSON.parse keeps the last)', `{${BASE},"n":1,"\\u006e":2}`],
    ['an escaped spelling of agent after agent', `{${BASE},"\\u0061gent":{}}`],
    ['an escaped key of a closed object that is not a known one', `{${BASE},"\\u006e\\u006e":1}`],
    ['an escaped key whose value has the wrong type', `{${BASE},"\\u006e":"1"}`],
    ['a bad escape in a key', `{${BASE},"\\x6e":1}`],
    ['a raw control character in an escaped key', `{${BASE},"\\u006e\u0001":1}`],
    ['an escaped key longer than 256 bytes', `{${BASE},"map":{"\\u0061${'a'.repeat(300)}":true}}`],
    ['a trailing comma', `{${BASE},}`],
    ['a trailing comma in an array', `{${BASE},"any":[1,]}`],
    ['a leading zero', `{${BASE},"n":01}`],
    ['a lone minus', `{${BASE},"n":-}`],
    ['a fraction where integers pass', `{${BASE},"n":1.0}`],
    ['an exponent where a type reads the number', `{${BASE},"n":1e2}`],
    ['an exponent on a number', `{${BASE},"x":1E+2}`],
    ['301 integer digits', `{${BASE},"n":1${'0'.repeat(300)}}`],
    ['a wrong type', `{${BASE},"n":"1"}`],
    ['null where a string is', `{"agent":{"os":null},"evt":{"name":"exec"}}`],
    ['an invalid date-time', `{${BASE},"d":"2024-02-30T00:00:00Z"}`],
    ['a leap second that is not at the end of a UTC day', `{${BASE},"d":"2024-12-31T23:59:60+01:00"}`],
    ['a date-time without the colon of its offset', `{${BASE},"d":"2024-08-01T00:00:00+0100"}`],
    ['a raw control character in a string', `{${BASE},"maybe":"a\u0001"}`],
    ['a bad escape', `{${BASE},"maybe":"\\x41"}`],
    ['a short \\u escape', `{${BASE},"maybe":"\\u12"}`],
    ['a control byte where a hex digit must be', `{${BASE},"maybe":"\\u001\u0010"}`],
    ['bare words', `{${BASE},"maybe":nul}`],
    ['text after the value', `{${BASE}} x`],
    ['two values', `{${BASE}}{}`],
    ['a BOM', `\ufeff{${BASE}}`],
    ['a form feed (not JSON whitespace)', `{${BASE}}\f`],
    ['nesting deeper than 64', `{${BASE},"any":${'['.repeat(70)}${']'.repeat(70)}}`],
  ])('%s', (_, text) => {
    expect(proven(text)).toBeUndefined();
  });

  it.each([
    ['an overlong encoding', [0xc0, 0x80]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['a lone continuation byte', [0x80]],
    ['0xFF', [0xff]],
  ])('invalid UTF-8 in a string: %s', (_, bad) => {
    const line = Buffer.concat([Buffer.from(`{${BASE},"maybe":"a`), Buffer.from(bad), Buffer.from('"}')]);
    expect(proven(line)).toBeUndefined();
    expect(usual(line).status).toBe('invalid');
  });

  it('gives up where the usual way counts more values than a line may hold, long before scanning', () => {
    expect(fast(Buffer.from(`{${BASE}}`), 64)).toBeDefined();
    const long = Buffer.from(`{${BASE},"any":[${'0,'.repeat(1 << 20)}0]}`);
    expect(fast(long)).toBeUndefined();
  });

  it('stops where a line first fails', () => {
    const schema = compileFastSchema(SCHEMA);
    if ('declined' in schema) throw new Error(schema.declined);
    const text = `{${BASE},"n":"x"}`;
    expect(scanLine(schema, Buffer.from(text))).toBe(false);
    expect(stoppedAt()).toBe(text.indexOf('"x"'));
  });
});
