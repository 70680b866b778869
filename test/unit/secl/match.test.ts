/**
 * Patterns and globs, with expectations taken from the agent's own tests
 * (`pkg/security/secl/compiler/eval/pattern_test.go`, `glob_test.go` TestGlobMatches).
 */
import { describe, expect, it } from 'vitest';
import { Glob, newMatcher, patternElement, patternMatches } from '../../../src/secl/match.js';

const PATTERNS: [pattern: string, value: string, ci: boolean, want: boolean][] = [
  ['*abc*', '/abc/', false, true],
  ['*test123', 'aaatest123', false, true],
  ['*test456', 'aaatest123', false, false],
  ['*', 'test123', false, true],
  ['test*', 'test123', false, true],
  ['t*123', 'test123', false, true],
  ['t*1*3', 'test123', false, true],
  ['*t*1*3', 'atest123', false, true],
  ['*t*9*3', 'atest123', false, false],
  ['*.c', 'test.ct', false, false],
  ['*TEST123', 'aaatest123', true, true],
  ['*TEST456', 'aaatest123', true, false],
  ['test*', 'TEST123', true, true],
  ['T*123', 'test123', true, true],
  ['T*t123', 'tEsT123', true, true],
  ['', '', false, true],
  ['', 'a', false, false],
];

const GLOBS: [glob: string, path: string, want: boolean][] = [
  ['/tmp/test/test789', '/tmp/test/test789', true],
  ['*/abc/*', '/1/abc/2', true],
  ['/tmp/test/test789*', '/tmp/test/test7890', true],
  ['/tmp/test/test789*', '/tmp/test', false],
  ['/tmp/test/*st*', '/tmp/test', false],
  ['/tmp/test/*st*', '/tmp/test/ast', true],
  ['/tmp/*/test789', '/tmp/test/test789', true],
  ['/tmp/*/test789', '/tmp/test/test', false],
  ['/tmp/**', '/tmp/test/ast', true],
  ['/tmp/*', '/tmp/test/ast', false],
  ['*', '/tmp/test/ast', false],
  ['**', '/tmp/test/ast', true],
  ['/var/log/*', '/var/log/httpd', true],
  ['/var/**', '/var/log/nginx', true],
  ['/var/*', '/var/log/nginx', false],
  ['/var/log', '/var/log', true],
  ['/var/run', '/var/log', false],
  ['/var/run', '/var/run/httpd', false],
  ['/var/run/*', 'abc', false],
  ['ab*', 'abc', true],
  ['*b*', 'abc', true],
  ['*d*', 'abc', false],
  ['*/*/httpd', '/var/log/httpd', true],
  ['*/*/http*', '/var/log/httpd', true],
  ['httpd', 'httpd', true],
  ['mysqld', 'httpd', false],
  ['/', '/httpd', false],
  ['/*', '/httpd', true],
];

describe('simple patterns (pattern.go)', () => {
  it.each(PATTERNS)('~"%s" on %j (case-insensitive: %s) is %s', (pattern, value, ci, want) => {
    expect(patternMatches(patternElement(pattern), value, ci)).toBe(want);
  });

  it('cuts a pattern into segments at the stars (nextSegment)', () => {
    expect(patternElement('*test*123*').segments).toEqual([
      { star: true, text: 'test' },
      { star: true, text: '123' },
      { star: true, text: '' },
    ]);
    expect(patternElement('**').segments[0]).toEqual({ star: true, text: '' });
  });

  it('finds each segment at its FIRST occurrence and never backtracks: ~"*ab" does not match "abab" (pattern.go, strings.Index)', () => {
    expect(patternMatches(patternElement('*ab'), 'abab', false)).toBe(false);
    expect(patternMatches(patternElement('*ab'), 'xab', false)).toBe(true);
    // The last segment too: `b` is found at its first occurrence, `ab` is left over.
    expect(patternMatches(patternElement('*a*b'), 'aXbab', false)).toBe(false);
  });
});

describe('globs (glob.go)', () => {
  it.each(GLOBS)('~"%s" on %j is %s', (glob, path, want) => {
    const g = Glob.create(glob, false);
    expect(typeof g).toBe('object');
    if (typeof g === 'object') expect(g.matches(path)).toBe(want);
  });

  it('normalises a leading `*/`: the path loses its first character, so `*/abc` is `/*/abc` (glob.go, "normalize */ == /*/")', () => {
    const g = Glob.create('*/abc', false) as Glob;
    expect(g.matches('/x/abc')).toBe(true);
    expect(g.matches('/abc')).toBe(false);
  });

  it('allows `**` as an element only once, and reads `a**b` as `a*b`', () => {
    expect(typeof Glob.create('/a/**/b/**', false)).toBe('string');
    const g = Glob.create('/a/b**c', false) as Glob;
    expect(g.matches('/a/bxc')).toBe(true);
    expect(g.matches('/a/bx/c')).toBe(false);
  });

  it('never matches an empty path', () => {
    expect((Glob.create('**', false) as Glob).matches('')).toBe(false);
  });

  it('compares a pattern without a star as is, ignoring case when asked', () => {
    expect((Glob.create('/ETC/passwd', true) as Glob).matches('/etc/PASSWD')).toBe(true);
  });
});

describe('matchers (strings.go NewStringMatcher)', () => {
  it('refuses `**` in a simple pattern', () => {
    const m = newMatcher('pattern', '/a/**', false);
    expect(m.ok).toBe(false);
  });

  it('searches a regexp anywhere in the value (Go MatchString)', () => {
    const m = newMatcher('regexp', 'b.s', false);
    expect(m.ok && m.matcher('/bin/bash')).toBe(true);
  });

  it('prefixes (?i) for a case-insensitive regexp', () => {
    const m = newMatcher('regexp', '^BASH$', true);
    expect(m.ok && m.matcher('bash')).toBe(true);
  });

  it('refuses what RE2 refuses (backreferences, lookaround)', () => {
    expect(newMatcher('regexp', '(a)\\1', false).ok).toBe(false);
    expect(newMatcher('regexp', 'a(?=b)', false).ok).toBe(false);
  });
});
