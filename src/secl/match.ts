/**
 * String matchers with the agent's semantics (`pkg/security/secl/compiler/eval/`):
 *
 * - simple patterns `~"..."` (`pattern.go`): `*` is the only wildcard and matches any
 *   text, `/` included; the pattern is cut into segments at the stars and each segment
 *   is searched with `strings.Index`, i.e. at its FIRST occurrence, without backtracking:
 *   `~"*ab"` does not match `abab` (the segment is found at 0, `ab` is left over);
 *   `**` is refused in a pattern (`strings.go`, `PatternStringMatcher.Compile`);
 * - globs (`glob.go`), which patterns become on path fields (`oo_glob_cmp.go`): the
 *   pattern is split at `/`; `*` stays inside one path element, a `**` element crosses
 *   any number of them (at most one `**` element; `a**b` is read as `a*b`); a pattern
 *   without `*` is compared as is; an empty path never matches; when the first element is
 *   `*` the path's first character is dropped (the agent's "normalize" of a leading star element);
 * - regexps `r"..."` (`strings.go`, `RegexpStringMatcher`): RE2, searched anywhere in the
 *   value (Go's `MatchString`), with `(?i)` put in front when case-insensitive;
 * - scalars: equality, or `strings.EqualFold` when case-insensitive.
 */
import { RE2JS } from 're2js';

export type ValueType = 'scalar' | 'pattern' | 'glob' | 'regexp';

export type Matcher = (value: string) => boolean;

/** Go's `strings.EqualFold`, approximated with JS case mapping. */
export function equalFold(a: string, b: string): boolean {
  if (a === b) return true;
  return a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase();
}

interface Segment {
  star: boolean;
  text: string;
}

export interface PatternElement {
  pattern: string;
  segments: Segment[];
}

/** `newPatternElement`: segments at the stars; a run of stars opens one starred segment. */
export function patternElement(pattern: string): PatternElement {
  const segments: Segment[] = [];
  let rest = pattern;
  while (rest.length > 0) {
    const star = rest[0] === '*';
    let start = 0;
    let end = 0;
    let inSegment = false;
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] !== '*') {
        if (!inSegment) {
          start = i;
          inSegment = true;
        }
        end = i;
      } else if (inSegment) {
        break;
      }
    }
    if (star && start === 0) {
      // A star (or a string of stars) with nothing after it in this step: one char consumed.
      segments.push({ star, text: '' });
      rest = rest.slice(1);
      continue;
    }
    end++;
    segments.push({ star, text: rest.slice(start, end) });
    rest = rest.slice(end);
  }
  return { pattern, segments };
}

function indexOf(s: string, sub: string, ci: boolean): number {
  return ci ? s.toLowerCase().indexOf(sub.toLowerCase()) : s.indexOf(sub);
}

function startsWith(s: string, prefix: string, ci: boolean): boolean {
  return ci ? s.toLowerCase().startsWith(prefix.toLowerCase()) : s.startsWith(prefix);
}

/** `PatternMatchesWithSegments`. */
export function patternMatches(el: PatternElement, value: string, ci: boolean): boolean {
  if (el.pattern === '*') return true;
  if (el.pattern.length === 0) return value.length === 0;
  let str = value;
  for (const seg of el.segments) {
    if (seg.star) {
      if (seg.text.length === 0) return true;
      const at = indexOf(str, seg.text, ci);
      if (at === -1) return false;
      str = str.slice(at + seg.text.length);
    } else {
      if (!startsWith(str, seg.text, ci)) return false;
      str = str.slice(seg.text.length);
    }
  }
  return str.length === 0;
}

export class Glob {
  readonly isScalar: boolean;
  readonly prefix: PatternElement[];
  readonly suffix: PatternElement[];
  /**
   * The text before the first `*` (case-sensitive globs): every element before the starred
   * one is compared as is and the starred one starts with its own literal part, so a path
   * that does not start with it cannot match (a fast refusal, the answer unchanged).
   */
  private readonly literalStart: string;

  private constructor(
    readonly pattern: string,
    readonly ci: boolean,
    prefix: PatternElement[],
    suffix: PatternElement[],
  ) {
    this.isScalar = !pattern.includes('*');
    this.prefix = prefix;
    this.suffix = suffix;
    this.literalStart = ci || this.isScalar ? '' : pattern.slice(0, pattern.indexOf('*'));
  }

  /** `NewGlob`: an error message when `**` is an element twice. */
  static create(pattern: string, ci: boolean): Glob | string {
    const elements: PatternElement[] = [];
    let pos = -1;
    const parts = pattern.split('/');
    for (let i = 0; i < parts.length; i++) {
      let el = parts[i];
      if (el.includes('**') && el.length !== 2) el = el.split('**').join('*');
      elements.push(patternElement(el));
      if (el === '**' && pos !== -1) return '`**` is allowed only once in a pattern';
      if (el === '**') pos = i;
    }
    if (pos === -1) return new Glob(pattern, ci, elements, []);
    return new Glob(pattern, ci, elements.slice(0, pos + 1), elements.slice(pos));
  }

  private matchesPrefix(filename: string): boolean {
    let name = filename;
    if (this.prefix[0].pattern === '*') name = name.slice(1);
    let start = 0;
    let i = 0;
    let end = 0;
    for (; end !== name.length; end++) {
      if (name[end] === '/') {
        const elp = this.prefix[i];
        if (!patternMatches(elp, name.slice(start, end), this.ci) && elp.pattern !== '**') return false;
        start = end + 1;
        i++;
        if (i === this.prefix.length) return elp.pattern === '**';
      }
    }
    const elp = this.prefix[i];
    const elf = name.slice(start);
    if (elp.pattern === '**') return true;
    if (elf.length === 0 && elp.pattern === '*') return true;
    return patternMatches(elp, elf, this.ci) && i + 1 === this.prefix.length;
  }

  private matchesSuffix(filename: string): boolean {
    let end = filename.length;
    let i = this.suffix.length - 1;
    if (this.suffix.length === 1 && this.suffix[0].pattern === '**') return true;
    for (let start = filename.length - 1; start >= 0; start--) {
      if (filename[start] === '/') {
        const elp = this.suffix[i];
        if (!patternMatches(elp, filename.slice(start + 1, end), this.ci) && elp.pattern !== '**') return false;
        end = start;
        i--;
        if (i === 0 && this.suffix[i].pattern === '**') return true;
        // Go would index out of range here (a panic); a path with more elements than the
        // pattern cannot match.
        if (i < 0) return false;
      }
    }
    const elp = this.suffix[i];
    if (elp.pattern === '**') return true;
    return patternMatches(elp, filename.slice(0, end), this.ci) && i === 0;
  }

  matches(filename: string): boolean {
    if (filename === '') return false;
    if (this.isScalar) return this.ci ? equalFold(this.pattern, filename) : this.pattern === filename;
    if (!filename.startsWith(this.literalStart)) return false;
    if (this.prefix.length > 0 && !this.matchesPrefix(filename)) return false;
    if (this.suffix.length > 0 && !this.matchesSuffix(filename)) return false;
    return this.prefix.length > 0 || this.suffix.length > 0;
  }
}

/**
 * `NewStringMatcher`: a matcher for `value` read as `type`, or an error message
 * (code `pattern` or `regex` for the caller).
 */
export function newMatcher(
  type: ValueType,
  value: string,
  ci: boolean,
): { ok: true; matcher: Matcher } | { ok: false; code: 'pattern' | 'regex'; message: string } {
  switch (type) {
    case 'pattern': {
      if (value.includes('**')) return { ok: false, code: 'pattern', message: `invalid pattern \`${value}\`: \`**\` is not allowed in patterns` };
      const el = patternElement(value);
      return { ok: true, matcher: (s) => patternMatches(el, s, ci) };
    }
    case 'glob': {
      const g = Glob.create(value, ci);
      if (typeof g === 'string') return { ok: false, code: 'pattern', message: `invalid glob \`${value}\`: ${g}` };
      return { ok: true, matcher: (s) => g.matches(s) };
    }
    case 'regexp': {
      const source = ci && !value.startsWith('(?i)') ? '(?i)' + value : value;
      let re: RE2JS;
      try {
        re = RE2JS.compile(source);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        return { ok: false, code: 'regex', message: `invalid regexp \`${value}\`: ${why}` };
      }
      const start = ci ? '' : anchoredLiteral(value);
      if (start === '') return { ok: true, matcher: (s) => re.matcher(s).find() };
      return { ok: true, matcher: (s) => s.startsWith(start) && re.matcher(s).find() };
    }
    case 'scalar':
      return { ok: true, matcher: ci ? (s) => equalFold(value, s) : (s) => s === value };
  }
}

/** Characters that are literal in RE2 outside a class (the rest is syntax). */
const RE_SYNTAX = new Set([...'\\^$.|?*+()[]{}']);

/**
 * The text every match of a regexp must start the value with: after a leading `^` (the
 * start of the text: no multi-line flag can come before it), the run of literal characters
 * (plain ones, `\\` + punctuation), less the last one when a quantifier follows it. Empty
 * when there is none, or when the regexp has an alternation anywhere (`^a|b`). A value
 * without it cannot match: RE2 is not run (the answer is unchanged).
 */
export function anchoredLiteral(source: string): string {
  if (!source.startsWith('^') || source.includes('|')) return '';
  let out = '';
  for (let i = 1; i < source.length; i++) {
    const c = source[i]!;
    let lit: string;
    if (c === '\\') {
      const n = source[i + 1];
      if (n === undefined || !/^[!-/:-@[-`{-~]$/.test(n)) break;
      lit = n;
      i++;
    } else if (RE_SYNTAX.has(c)) {
      break;
    } else {
      lit = c;
    }
    const next = source[i + 1];
    if (next === '*' || next === '?' || next === '+' || next === '{') break;
    out += lit;
  }
  return out;
}
