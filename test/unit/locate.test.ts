import { describe, expect, it } from 'vitest';
import { locatePointer, pointerTokens } from '../../src/core/locate.js';
import { columnAt } from '../../src/core/text.js';

describe('pointerTokens', () => {
  it('decodes RFC 6901 escapes', () => {
    expect(pointerTokens('')).toEqual([]);
    expect(pointerTokens('/a~1b/c~0d/0')).toEqual(['a/b', 'c~d', '0']);
    expect(pointerTokens('/')).toEqual(['']);
  });
});

describe('columnAt counts code points from 1', () => {
  it('counts a surrogate pair as one column', () => {
    expect(columnAt('abc', 0)).toBe(1);
    expect(columnAt('abc', 2)).toBe(3);
    expect(columnAt('☕é😀x', 4)).toBe(4);
  });
});

describe('locatePointer finds where a JSON Pointer points in the text', () => {
  const text = '{"a": {"b": [10, {"c": "x"}], "d.e": 1}, "k\\"ey": true, "a": {"b": 2}}';
  it.each<[string, string, number]>([
    ['the root', '', 0],
    ['the last of duplicate keys (as JSON.parse)', '/a', text.lastIndexOf('{"b": 2}')],
    ['a key with escapes', '/k"ey', text.indexOf('true')],
  ])('%s', (_name, pointer, offset) => {
    expect(locatePointer(text, pointer)).toBe(offset);
  });

  it('walks into arrays and keys containing dots', () => {
    const t = '{"a":{"b":[10,{"c":"x"}],"d.e":1}}';
    expect(locatePointer(t, '/a/b/1/c')).toBe(t.indexOf('"x"'));
    expect(locatePointer(t, '/a/b/0')).toBe(t.indexOf('10'));
    expect(locatePointer(t, '/a/d.e')).toBe(t.indexOf('1}}'));
  });

  it('gives the key itself with {key: true}', () => {
    const t = '{"a":{"bogus":1}}';
    expect(locatePointer(t, '/a/bogus', { key: true })).toBe(t.indexOf('"bogus"'));
  });

  it('returns -1 for what is not there', () => {
    const t = '{"a":[1,2]}';
    expect(locatePointer(t, '/b')).toBe(-1);
    expect(locatePointer(t, '/a/2')).toBe(-1);
    expect(locatePointer(t, '/a/x')).toBe(-1);
    expect(locatePointer(t, '/a/0/z')).toBe(-1);
  });

  it('skips strings that contain brackets, braces and escaped quotes', () => {
    const t = '{"x":"}]\\"{[","y":[{"z":"]"}],"w":2}';
    expect(locatePointer(t, '/w')).toBe(t.indexOf('2}'));
  });
});
