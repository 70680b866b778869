/**
 * Schema patterns on RE2 (core/schema-regexp.ts): the same matches as an
 * ECMA-262 RegExp with the `u` flag, and a clear refusal of what RE2 cannot run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PatternError, schemaRegExp, toRe2Syntax } from '../../src/core/schema-regexp.js';

const same = (pattern: string, text: string): void => {
  expect(schemaRegExp(pattern).test(text), `${pattern} on ${JSON.stringify(text)}`).toBe(new RegExp(pattern, 'u').test(text));
};

describe('schema patterns on RE2', () => {
  it.each<[string, string[]]>([
    ['^\\d+$', ['123', '١٢٣', '12a']],
    ['^\\w+$', ['abc_1', 'é', '']],
    ['^\\s$', [' ', '\t', '\u00a0', '\ufeff', '\u2028', '\u000b', 'a']],
    ['^\\S$', [' ', 'a', '\u00a0']],
    ['^[\\s\\d]+$', ['1 2', 'a']],
    ['^[a\\S]$', ['a', ' ', 'b']],
    ['^.$', ['a', '\n', '\r', '\u2028', '\u2029', '😀']],
    ['^[]$', ['', 'a']],
    ['^[^]$', ['a', '\n']],
    ['^[[]$', ['[']],
    ['^[[:a]+$', ['[:a', 'b']],
    ['^\\p{L}+$', ['héllo', 'abc1']],
    ['^\\p{Letter}+$', ['héllo', '1']],
    ['^\\p{General_Category=Decimal_Number}$', ['5', '٥', 'a']],
    ['^\\p{Script=Greek}+$', ['αβγ', 'abc']],
    ['^\\P{Lu}$', ['a', 'A']],
    ['^\\p{ASCII}+$', ['abc', 'é']],
    ['^\\u{1F600}$', ['😀']],
    ['^\\uD83D\\uDE00$', ['😀']],
    ['^\\x41\\u0042\\cJ$', ['AB\n']],
    ['^[\\b]$', ['\b', 'b']],
    ['\\bfoo\\b', ['a foo b', 'afoob']],
    ['^(?<year>\\d{4})-(?:\\d\\d)$', ['2024-01', '24-01']],
    ['a{2,3}?b', ['aab', 'ab']],
    ['^\\/\\.\\*$', ['/.*']],
    ['^(a+)+$', ['aaaa', 'aaa!']],
  ])('%s matches as an ECMA-262 u-flag RegExp does', (pattern, texts) => {
    for (const text of texts) same(pattern, text);
  });

  it('matches as RegExp does on random patterns and strings (property)', () => {
    const atom = fc.constantFrom('a', 'b', '.', '\\d', '\\w', '\\s', '\\S', '[ab]', '[^a]', '[\\s1]', '\\p{L}', '\\u00e9', '[]', '[^]');
    const piece = fc.tuple(atom, fc.constantFrom('', '*', '+', '?', '{1,2}', '*?')).map(([a, q]) => a + q);
    const pattern = fc
      .tuple(fc.boolean(), fc.array(piece, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.boolean())
      .map(([start, pieces, alt, end]) => `${start ? '^' : ''}${alt ? `(?:${pieces.join('')}|b)` : pieces.join('')}${end ? '$' : ''}`);
    const text = fc.array(fc.constantFrom('a', 'b', '1', ' ', '\n', '\u00a0', 'é', '😀', '\u2028'), { maxLength: 6 }).map((a) => a.join(''));
    fc.assert(fc.property(pattern, text, (p, t) => schemaRegExp(p).test(t) === new RegExp(p, 'u').test(t)), { numRuns: 300 });
  });

  it.each<[string, RegExp]>([
    ['^(a)\\1$', /uses a backreference \(\\1\)/],
    ['^(?<x>a)\\k<x>$', /uses a backreference \(\\k<name>\)/],
    ['a(?=b)', /uses a lookahead \(\?=\.\.\.\)/],
    ['a(?!b)', /uses a lookahead \(\?!\.\.\.\)/],
    ['(?<=a)b', /uses a lookbehind \(\?<=\.\.\.\)/],
    ['(?<!a)b', /uses a lookbehind \(\?<!\.\.\.\)/],
    ['a{2000}', /cannot run on the linear-time engine \(.*invalid repeat count/],
    ['\\p{sc=Grek}', /uses the Unicode property \\p\{sc=Grek\}, which the linear-time engine does not know/],
    ['\\p{scx=Greek}', /Script_Extensions is not supported/],
    ['[', /is not an ECMA-262 regular expression/],
    ['\\a', /is not an ECMA-262 regular expression/],
  ])('refuses %s, saying why', (pattern, why) => {
    expect(() => schemaRegExp(pattern)).toThrow(PatternError);
    expect(() => schemaRegExp(pattern)).toThrow(why);
  });

  it('keeps "[" literal inside a class and "." away from line terminators in the RE2 text', () => {
    expect(toRe2Syntax('[[]')).toBe('[\\[]');
    expect(toRe2Syntax('.')).toBe('[^\\n\\r\\x{2028}\\x{2029}]');
  });
});
