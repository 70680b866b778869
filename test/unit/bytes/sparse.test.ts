/**
 * The lazy sparse event (core/bytes/sparse.ts `lazyObject`, csm-rules' event) is the
 * materialised one (`materialize`, csm-filter's), member for member: same keys in the same
 * order, same values (plain or exact), each made once; it cannot be written to.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { addKeyPath, emptyTrie, scanSparse } from '../../../src/core/bytes/scan.js';
import { lazyObject, materialize } from '../../../src/core/bytes/sparse.js';

const EVENTS = readFileSync(new URL('../../../examples/events.ndjson', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('{'));

const PATHS = [['evt', 'name'], ['process'], ['process', 'ancestors'], ['file', 'path'], ['agent'], ['date'], ['process', 'credentials', 'uid'], ['nope', 'x'], ['__proto__']];

describe('lazyObject', () => {
  test('gives the members materialize gives, on real events and any subset of paths, plain and exact', () => {
    fc.assert(
      fc.property(fc.constantFrom(...EVENTS), fc.subarray(PATHS, { minLength: 1 }), fc.boolean(), fc.constantFrom('', '18446744073709551615', '1e400'), (line, paths, exact, big) => {
        const text = big === '' ? line : line.replace(/"pid":\s*\d+/, `"pid":${big}`);
        const trie = emptyTrie();
        for (const p of paths) addKeyPath(trie, p);
        const bytes = Buffer.from(text);
        const tree = scanSparse(bytes, trie);
        expect(tree).toBeDefined();
        const lazy = lazyObject(tree!, bytes, exact);
        const eager = materialize(tree!, bytes, exact);
        expect(Object.keys(lazy)).toEqual(Object.keys(eager));
        expect(lazy).toEqual(eager);
        for (const k of Object.keys(eager)) {
          expect(Object.prototype.hasOwnProperty.call(lazy, k)).toBe(true);
          // Made once: the same object every time it is read.
          expect((lazy as Record<string, unknown>)[k]).toBe((lazy as Record<string, unknown>)[k]);
        }
        expect(Object.prototype.hasOwnProperty.call(lazy, 'not-a-member')).toBe(false);
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  test('a `__proto__` member is an own member, as JSON.parse makes it; the object cannot be written to', () => {
    const bytes = Buffer.from('{"__proto__":{"polluted":1},"a":2}');
    const trie = emptyTrie();
    addKeyPath(trie, ['__proto__']);
    addKeyPath(trie, ['a']);
    const lazy = lazyObject(scanSparse(bytes, trie)!, bytes, false) as Record<string, unknown>;
    expect(Object.keys(lazy)).toEqual(['__proto__', 'a']);
    expect(lazy['__proto__']).toEqual({ polluted: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() => {
      'use strict';
      lazy.a = 3;
    }).toThrow(TypeError);
    expect(lazy.a).toBe(2);
  });
});
