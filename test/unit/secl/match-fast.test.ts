/**
 * The matchers' fast refusals change no answer:
 * - a case-sensitive glob refuses a path that does not start with the text before its
 *   first `*`; the reference is the same glob without that refusal (the agent's algorithm
 *   alone);
 * - a regexp anchored with `^` and literal characters refuses a value that does not start
 *   with them; the reference is RE2 run on every value.
 */
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { anchoredLiteral, Glob, newMatcher } from '../../../src/secl/match.js';

/** The glob as the agent's algorithm alone runs it (the refusal switched off). */
function referenceGlob(pattern: string, ci: boolean): Glob {
  const g = Glob.create(pattern, ci) as Glob;
  Object.defineProperty(g, 'literalStart', { value: '' });
  return g;
}

const pathChar = fc.constantFrom('/', 'a', 'b', 'e', 't', 'c', '.', 'A', '-', 'é');
const globChar = fc.constantFrom('/', 'a', 'b', 'e', 't', 'c', '.', '*', '*', '/', 'A');
const paths = fc.array(pathChar, { maxLength: 12 }).map((cs) => cs.join(''));
const globs = fc.array(globChar, { minLength: 1, maxLength: 10 }).map((cs) => cs.join(''));

describe('a glob refusing a path by its literal start', () => {
  it('answers as the agent algorithm alone, for any glob and path', () => {
    fc.assert(
      fc.property(globs, paths, fc.boolean(), (pattern, path, ci) => {
        const g = Glob.create(pattern, ci);
        if (typeof g === 'string') return;
        expect(g.matches(path), `${pattern} on ${path}`).toBe(referenceGlob(pattern, ci).matches(path));
      }),
      { numRuns: 3000, seed: 15 },
    );
  });

  it('answers as the agent algorithm alone on paths made from the glob (its stars filled in)', () => {
    fc.assert(
      fc.property(globs, fc.array(paths, { minLength: 1, maxLength: 6 }), fc.boolean(), (pattern, fills, ci) => {
        const g = Glob.create(pattern, ci);
        if (typeof g === 'string') return;
        let k = 0;
        const path = pattern.replace(/\*+/g, () => fills[k++ % fills.length]!);
        expect(g.matches(path), `${pattern} on ${path}`).toBe(referenceGlob(pattern, ci).matches(path));
      }),
      { numRuns: 3000, seed: 16 },
    );
  });

  it('on the globs of real rules and paths built from them', () => {
    const cases: [string, string][] = [
      ['/etc/**', '/etc/passwd'],
      ['/etc/**', '/etcx/passwd'],
      ['/etc/*', '/etc'],
      ['*/bin/sh', '/usr/bin/sh'],
      ['/usr/bin/*', '/usr/bin/'],
      ['/root/.ssh/*', '/root/.ssh/authorized_keys'],
      ['/a/b**c', '/a/bxxc'],
    ];
    for (const [pattern, path] of cases) expect((Glob.create(pattern, false) as Glob).matches(path)).toBe(referenceGlob(pattern, false).matches(path));
    expect((Glob.create('/etc/**', false) as Glob).matches('/etc/shadow')).toBe(true);
    expect((Glob.create('/etc/**', false) as Glob).matches('/usr/etc/shadow')).toBe(false);
  });
});

describe('a regexp refusing a value by its anchored literal start', () => {
  it('takes only the literal characters right after ^, none before a quantifier or with an alternation', () => {
    expect(anchoredLiteral('^\\[.*\\]$')).toBe('[');
    expect(anchoredLiteral('^abc')).toBe('abc');
    expect(anchoredLiteral('^ab*c')).toBe('a');
    expect(anchoredLiteral('^ab{2}')).toBe('a');
    expect(anchoredLiteral('^a\\.b+')).toBe('a.');
    expect(anchoredLiteral('^\\d1')).toBe('');
    expect(anchoredLiteral('^a|b')).toBe('');
    expect(anchoredLiteral('^(?i)x')).toBe('');
    expect(anchoredLiteral('a^b')).toBe('');
  });

  const reChar = fc.constantFrom('^', 'a', 'b', '[', ']', '\\[', '\\.', '.', '*', '+', '?', '{1,2}', '|', '(', ')', '$', '\\d', 'é');
  const values = fc.array(fc.constantFrom('a', 'b', '[', ']', '.', '1', 'é', ' '), { maxLength: 8 }).map((cs) => cs.join(''));

  it('answers as RE2 on every value, for any regexp', () => {
    fc.assert(
      fc.property(fc.array(reChar, { minLength: 1, maxLength: 8 }), values, fc.boolean(), (parts, value, ci) => {
        const source = parts.join('');
        const m = newMatcher('regexp', source, ci);
        let re: RE2JS;
        try {
          re = RE2JS.compile(ci ? `(?i)${source}` : source);
        } catch {
          expect(m.ok).toBe(false);
          return;
        }
        if (!m.ok) throw new Error(`${source} compiles in RE2 but not as a matcher`);
        expect(m.matcher(value), `${source} on ${value}`).toBe(re.matcher(value).find());
      }),
      { numRuns: 3000, seed: 15 },
    );
  });
});
