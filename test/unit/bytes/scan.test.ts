import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { MAX_DEPTH, Slice, type SparseTree, addKeyPath, emptyTrie, lastScanFailedOnSyntax, scanSparse } from '../../../src/core/bytes/scan.js';
import { acceptsReference, mutatedLines } from '../../../fuzz/bytes-model.mjs';

const EVENTS = [
  ...readFileSync(new URL('../../../examples/events.ndjson', import.meta.url), 'utf8').split('\n'),
  ...readFileSync(new URL('../../../../shared/corpus/events.ndjson', import.meta.url), 'utf8').split('\n'),
].filter((l) => l.trim() !== '');

function trieOf(...paths: string[][]) {
  const trie = emptyTrie();
  for (const p of paths) addKeyPath(trie, p);
  return trie;
}

/** The recorded tree as plain data: each slice as its text. */
function plain(tree: SparseTree, text: Buffer): unknown {
  const out: Record<string, unknown> = {};
  for (const [k, v] of tree) {
    const value = v instanceof Slice ? text.toString('utf8', v.start, v.end) : plain(v, text);
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function scan(text: string | Buffer, ...paths: string[][]): unknown {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const tree = scanSparse(bytes, trieOf(...paths));
  return tree === undefined ? undefined : plain(tree, bytes);
}

/** What JSON.parse gives, kept to the trie's paths (a leaf, or a value that is not an object where the trie goes on, whole). */
function restrict(value: unknown, paths: string[][]): unknown {
  const out: Record<string, unknown> = {};
  const v = value as Record<string, unknown>;
  const byKey = new Map<string, string[][]>();
  for (const p of paths) byKey.set(p[0]!, [...(byKey.get(p[0]!) ?? []), p.slice(1)]);
  for (const [key, rest] of byKey) {
    if (!Object.hasOwn(v, key)) continue;
    const x = v[key];
    const whole = rest.some((r) => r.length === 0) || typeof x !== 'object' || x === null || Array.isArray(x);
    Object.defineProperty(out, key, { value: whole ? JSON.stringify(x) : restrict(x, rest), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

describe('scanSparse: what it extracts', () => {
  test('takes the value of each path as its slice of the line, and nothing else', () => {
    expect(scan('{"evt":{"name":"exec","category":"x"},"process":{"args":["a","b"],"pid":1}}', ['evt', 'name'], ['process', 'args'])).toEqual({
      evt: { name: '"exec"' },
      process: { args: '["a","b"]' },
    });
  });

  test('a duplicate key: the last occurrence wins, in the first one\'s place, as JSON.parse does', () => {
    expect(scan('{"evt":{"name":"exec"},"a":1,"evt":{"name":"open"}}', ['evt', 'name'])).toEqual({ evt: { name: '"open"' } });
    // The later object replaces the earlier one whole: its name is gone.
    expect(scan('{"evt":{"name":"exec"},"evt":{"x":1}}', ['evt', 'name'])).toEqual({ evt: {} });
    expect(scan('{"evt":{"name":"exec","name":5}}', ['evt', 'name'])).toEqual({ evt: { name: '5' } });
  });

  test('keys are compared with their escapes undone', () => {
    expect(scan('{"\\u0065vt":{"n\\u0061me":"exec"}}', ['evt', 'name'])).toEqual({ evt: { name: '"exec"' } });
    expect(scan('{"evt":{"nam\\u00e9":"exec"}}', ['evt', 'name'])).toEqual({ evt: {} });
    expect(scan('{"caf\u00e9":1}', ['caf\u00e9'])).toEqual({ 'caf\u00e9': '1' });
  });

  test('a value that is not an object where the path goes on is taken whole (a list, a string, null)', () => {
    expect(scan('{"evt":[{"name":"exec"}]}', ['evt', 'name'])).toEqual({ evt: '[{"name":"exec"}]' });
    expect(scan('{"evt":"exec"}', ['evt', 'name'])).toEqual({ evt: '"exec"' });
    expect(scan('{"evt":null}', ['evt', 'name'])).toEqual({ evt: 'null' });
  });

  test('a path that ends on a node takes its whole value, whatever longer paths say', () => {
    expect(scan('{"process":{"args":["-c"],"pid":1}}', ['process', 'args'], ['process'])).toEqual({ process: '{"args":["-c"],"pid":1}' });
  });

  test('numbers are their text (big integers, -0, 1.0, 1e400)', () => {
    expect(scan('{"a":18446744073709551615,"b":-0,"c":1.0,"d":1e400}', ['a'], ['b'], ['c'], ['d'])).toEqual({
      a: '18446744073709551615',
      b: '-0',
      c: '1.0',
      d: '1e400',
    });
  });

  test('a __proto__ key is an ordinary key', () => {
    const tree = scanSparse(Buffer.from('{"__proto__":{"x":1}}'), trieOf(['__proto__', 'x']));
    expect(tree?.get('__proto__')).toBeInstanceOf(Map);
  });

  test('whitespace of RFC 8259 anywhere between tokens', () => {
    expect(scan(' \t{ "a" :\r 1 ,\n"b":[ ] } \r', ['a'], ['b'])).toEqual({ a: '1', b: '[ ]' });
  });
});

describe('scanSparse: what it refuses (the ordinary path reports it)', () => {
  const refused = [
    ['not an object', '[1]'],
    ['a string', '"x"'],
    ['empty', ''],
    ['trailing comma', '{"a":1,}'],
    ['trailing text', '{"a":1} x'],
    ['two values', '{"a":1}{}'],
    ['unterminated string', '{"a":"x'],
    ['truncated', '{"a":{"b":1}'],
    ['a raw tab in a string', '{"a":"\t"}'],
    ['a bad escape', '{"a":"\\x"}'],
    ['a short \\u escape', '{"a":"\\u12"}'],
    ['a leading zero', '{"a":01}'],
    ['a bare dot', '{"a":1.}'],
    ['a plus sign', '{"a":+1}'],
    ['an empty exponent', '{"a":1e}'],
    ['a misspelt literal', '{"a":nul}'],
    ['a form feed as whitespace', '{"a":\f1}'],
    ['a key that is not a string', '{a:1}'],
    ['a missing colon', '{"a" 1}'],
    ['a byte order mark', '\ufeff{"a":1}'],
    ['a mismatched bracket', '{"a":[1}'],
  ];
  test.each(refused)('%s', (_name, text) => {
    expect(scan(text, ['a'])).toBeUndefined();
  });

  test('invalid UTF-8 anywhere, also in a value it skips', () => {
    for (const bad of [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x98]]) {
      const bytes = Buffer.concat([Buffer.from('{"a":1,"b":"x'), Buffer.from(bad), Buffer.from('y"}')]);
      expect(scanSparse(bytes, trieOf(['a']))).toBeUndefined();
    }
    expect(scan('{"a":1,"b":"x\u00e9\u2615\u{1F600}y"}', ['a'])).toEqual({ a: '1' });
  });

  test(`nesting deeper than ${MAX_DEPTH} is left to the ordinary path`, () => {
    const nest = (n: number) => `{"a":${'['.repeat(n)}${']'.repeat(n)}}`;
    expect(scan(nest(MAX_DEPTH), ['a'])).toBeDefined();
    expect(scan(nest(MAX_DEPTH + 1), ['a'])).toBeUndefined();
  });

  test('it says when it stopped on a syntax error (JSON.parse would throw), and not for JSON it merely does not take', () => {
    const failed = (text: string | Buffer) => {
      expect(scanSparse(typeof text === 'string' ? Buffer.from(text) : text, trieOf(['a']))).toBeUndefined();
      return lastScanFailedOnSyntax();
    };
    expect(failed('{"a":1,}')).toBe(true);
    expect(failed('{"a":1} x')).toBe(true);
    expect(failed('{"a":"x')).toBe(true);
    expect(failed('[1]')).toBe(false);
    expect(failed('"x"')).toBe(false);
    expect(failed(`{"a":${'['.repeat(MAX_DEPTH + 1)}${']'.repeat(MAX_DEPTH + 1)}}`)).toBe(false);
    expect(failed(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))).toBe(false);
  });

  test('a line that is a view into a bigger chunk is read within its bounds', () => {
    const chunk = Buffer.from('{"a":1}\n{"a":2}\n');
    expect(scan(chunk.subarray(8, 15), ['a'])).toEqual({ a: '2' });
    expect(scan(chunk.subarray(8, 14), ['a'])).toBeUndefined();
  });
});

describe('scanSparse: properties on mutated corpus events', () => {
  const PATHS = [['evt', 'name'], ['process', 'args'], ['process', 'credentials', 'uid'], ['file'], ['agent', 'rule_id'], ['date'], ['__proto__']];

  test('it accepts exactly the lines JSON.parse takes as an object in valid UTF-8, and each value is JSON.parse\'s', () => {
    fc.assert(
      fc.property(mutatedLines(EVENTS), (bytes) => {
        const tree = scanSparse(bytes, trieOf(...PATHS));
        expect(tree !== undefined).toBe(acceptsReference(bytes, MAX_DEPTH));
        if (tree === undefined) return;
        const whole = JSON.parse(bytes.toString('utf8'));
        const ours = JSON.parse(JSON.stringify(plain(tree, bytes), (_k, v) => v), (_k, v) => v);
        // Compare values, not texts: re-read each slice.
        const reread = JSON.parse(JSON.stringify(ours), (_k, v) => (typeof v === 'string' ? JSON.stringify(JSON.parse(v)) : v));
        expect(reread).toEqual(restrict(whole, PATHS));
      }),
      { numRuns: 400 },
    );
  });

  test('every event of the corpus is taken by the byte pass (none falls back)', () => {
    for (const e of EVENTS) expect(scanSparse(Buffer.from(e), trieOf(...PATHS))).toBeDefined();
  });
});
