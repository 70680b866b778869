/**
 * Schema patterns (`pattern`, `patternProperties`) on a linear-time engine.
 *
 * JSON Schema patterns are ECMA-262 regular expressions, unanchored, read with
 * the `u` flag. JavaScript's RegExp backtracks: `^(a+)+$` against 30 `a`s and a
 * `!` takes minutes. Event content is attacker-controlled, so schema patterns run
 * on RE2 (re2js, as the queries do), whose time is linear in the input.
 *
 * A pattern is first checked by the ECMA-262 parser (`new RegExp(p, 'u')`, which
 * compiles but never runs it), then translated to RE2 syntax with ECMA-262's
 * meaning kept: `.` excludes every line terminator, `\s` is ECMA-262's white
 * space, `[]` matches nothing and `[^]` anything, `[` in a class is literal,
 * `\p{General_Category=Letter}` and the long category names become RE2's.
 * What RE2 cannot run in linear time (backreferences, lookahead, lookbehind) and
 * what it does not know (some Unicode properties) is refused with a
 * `PatternError` naming the construct; the caller names the schema location.
 */
import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';

// Loaded on first need: the bundled schema's prebuilt validators have no pattern, and
// every csm-validate start-up would otherwise pay for re2js.
const require = createRequire(import.meta.url);
let re2js: typeof RE2JS | undefined;
function re2(): typeof RE2JS {
  re2js ??= (require('re2js') as { RE2JS: typeof RE2JS }).RE2JS;
  return re2js;
}

/** Why a schema pattern cannot be used. */
export class PatternError extends Error {
  constructor(
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(`pattern ${JSON.stringify(pattern)} ${reason}`);
    this.name = 'PatternError';
  }
}

/** ECMA-262 WhiteSpace and LineTerminator: what `\s` matches. */
const SPACE = '\\t\\n\\x{b}\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}';
/** ECMA-262 `.` (without the `s` flag): anything but a line terminator. */
const DOT = '[^\\n\\r\\x{2028}\\x{2029}]';
const ANY = '\\x{0}-\\x{10ffff}';

/** General_Category long names -> the short names RE2 knows. */
const CATEGORIES: Record<string, string> = {
  Letter: 'L', Cased_Letter: 'LC', Uppercase_Letter: 'Lu', Lowercase_Letter: 'Ll', Titlecase_Letter: 'Lt',
  Modifier_Letter: 'Lm', Other_Letter: 'Lo', Mark: 'M', Combining_Mark: 'M', Nonspacing_Mark: 'Mn',
  Spacing_Mark: 'Mc', Enclosing_Mark: 'Me', Number: 'N', Decimal_Number: 'Nd', digit: 'Nd', Letter_Number: 'Nl',
  Other_Number: 'No', Punctuation: 'P', punct: 'P', Connector_Punctuation: 'Pc', Dash_Punctuation: 'Pd',
  Open_Punctuation: 'Ps', Close_Punctuation: 'Pe', Initial_Punctuation: 'Pi', Final_Punctuation: 'Pf',
  Other_Punctuation: 'Po', Symbol: 'S', Math_Symbol: 'Sm', Currency_Symbol: 'Sc', Modifier_Symbol: 'Sk',
  Other_Symbol: 'So', Separator: 'Z', Space_Separator: 'Zs', Line_Separator: 'Zl', Paragraph_Separator: 'Zp',
  Other: 'C', Control: 'Cc', cntrl: 'Cc', Format: 'Cf', Surrogate: 'Cs', Private_Use: 'Co', Unassigned: 'Cn',
};

/** Binary properties RE2 lacks, as class ranges. */
const BINARY: Record<string, string> = { Any: ANY, ASCII: '\\x{0}-\\x{7f}', ASCII_Hex_Digit: '0-9A-Fa-f' };

const hex = (cp: number): string => `\\x{${cp.toString(16)}}`;

/** `\p{...}` / `\P{...}` as RE2 class content (`inClass`) or atom. */
function property(pattern: string, body: string, negated: boolean, inClass: boolean): string {
  const eq = body.indexOf('=');
  let name = body;
  if (eq >= 0) {
    const key = body.slice(0, eq);
    name = body.slice(eq + 1);
    if (key === 'Script_Extensions' || key === 'scx') {
      throw new PatternError(pattern, `uses \\p{${body}}: Script_Extensions is not supported by the linear-time engine`);
    }
    if (!['General_Category', 'gc', 'Script', 'sc'].includes(key)) {
      throw new PatternError(pattern, `uses an unknown Unicode property \\p{${body}}`);
    }
  }
  name = CATEGORIES[name] ?? name;
  const binary = BINARY[name];
  if (binary !== undefined) {
    if (negated && inClass) throw new PatternError(pattern, `uses \\P{${body}} inside a class, which the linear-time engine cannot run`);
    return inClass ? binary : `[${negated ? '^' : ''}${binary}]`;
  }
  const out = `\\${negated ? 'P' : 'p'}{${name}}`;
  try {
    const RE2JS = re2();
    RE2JS.compile(out);
  } catch {
    throw new PatternError(pattern, `uses the Unicode property \\p{${body}}, which the linear-time engine does not know`);
  }
  return out;
}

interface Escape {
  /** RE2 text (an atom outside a class, class content inside). */
  text: string;
  /** `\S` in a class: the class also takes everything but white space. */
  nonSpace?: true;
  end: number;
}

/** The escape at `pattern[at] === '\\'`. */
function escape(pattern: string, at: number, inClass: boolean): Escape {
  const c = pattern[at + 1] ?? '';
  const end = at + 2;
  const code = (cp: number, next: number): Escape => ({ text: hex(cp), end: next });
  switch (c) {
    case 'd': case 'D': case 'w': case 'W': case 't': case 'n': case 'v': case 'f': case 'r':
      return { text: `\\${c}`, end };
    case 'b': case 'B':
      return inClass ? code(8, end) : { text: `\\${c}`, end };
    case 's':
      return { text: inClass ? SPACE : `[${SPACE}]`, end };
    case 'S':
      return inClass ? { text: '', nonSpace: true, end } : { text: `[^${SPACE}]`, end };
    case 'c':
      return code(pattern.charCodeAt(at + 2) % 32, at + 3);
    case 'x':
      return code(parseInt(pattern.slice(at + 2, at + 4), 16), at + 4);
    case 'u': {
      if (pattern[at + 2] === '{') {
        const close = pattern.indexOf('}', at);
        return code(parseInt(pattern.slice(at + 3, close), 16), close + 1);
      }
      const unit = parseInt(pattern.slice(at + 2, at + 6), 16);
      // A surrogate pair written as two escapes is one code point (the `u` flag).
      if (unit >= 0xd800 && unit <= 0xdbff && /^\\u[dD][c-fC-F][0-9a-fA-F]{2}/.test(pattern.slice(at + 6, at + 12))) {
        const low = parseInt(pattern.slice(at + 8, at + 12), 16);
        return code((unit - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000, at + 12);
      }
      return code(unit, at + 6);
    }
    case 'p': case 'P': {
      const close = pattern.indexOf('}', at);
      return { text: property(pattern, pattern.slice(at + 3, close), c === 'P', inClass), end: close + 1 };
    }
    case 'k':
      throw new PatternError(pattern, 'uses a backreference (\\k<name>), which the linear-time engine cannot run');
    case '0':
      return code(0, end);
    default:
      if (c >= '1' && c <= '9') {
        throw new PatternError(pattern, `uses a backreference (\\${c}), which the linear-time engine cannot run`);
      }
      // An identity escape of a syntax character (all the `u` flag allows).
      return { text: `\\${c}`, end };
  }
}

/** The class at `pattern[at] === '['`, as RE2 text. */
function characterClass(pattern: string, at: number): { text: string; end: number } {
  let i = at + 1;
  const negated = pattern[i] === '^';
  if (negated) i++;
  if (pattern[i] === ']') return { text: negated ? `[${ANY}]` : `[^${ANY}]`, end: i + 1 };
  let body = '';
  let nonSpace = false;
  while (i < pattern.length && pattern[i] !== ']') {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const e = escape(pattern, i, true);
      body += e.text;
      nonSpace ||= e.nonSpace === true;
      i = e.end;
    } else {
      // `[` is literal in an ECMA-262 class (RE2 would read `[:alpha:]`).
      body += ch === '[' ? '\\[' : ch;
      i += ch.length;
    }
  }
  const end = i + 1;
  if (!nonSpace) return { text: `[${negated ? '^' : ''}${body}]`, end };
  if (negated) throw new PatternError(pattern, 'uses \\S inside a negated class, which the linear-time engine cannot run');
  return { text: body === '' ? `[^${SPACE}]` : `(?:[${body}]|[^${SPACE}])`, end };
}

/** The group opener at `pattern[at] === '('`. */
function groupOpen(pattern: string, at: number): { text: string; end: number } {
  if (pattern[at + 1] !== '?') return { text: '(', end: at + 1 };
  const rest = pattern.slice(at + 2, at + 4);
  if (rest.startsWith(':')) return { text: '(?:', end: at + 3 };
  if (rest.startsWith('=') || rest.startsWith('!') || rest === '<=' || rest === '<!') {
    throw new PatternError(pattern, `uses a ${rest.startsWith('<') ? 'lookbehind' : 'lookahead'} (?${rest.startsWith('<') ? rest : rest[0]}...), which the linear-time engine cannot run`);
  }
  if (rest.startsWith('<')) return { text: '(', end: pattern.indexOf('>', at) + 1 };
  throw new PatternError(pattern, 'uses a group modifier the linear-time engine does not know');
}

/** The RE2 text of an ECMA-262 (`u` flag) pattern with the same matches; PatternError if none. */
export function toRe2Syntax(pattern: string): string {
  try {
    new RegExp(pattern, 'u');
  } catch (err) {
    throw new PatternError(pattern, `is not an ECMA-262 regular expression (${(err as Error).message.replace(/^Invalid regular expression: /, '')})`);
  }
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    let piece: { text: string; end: number };
    if (ch === '\\') piece = escape(pattern, i, false);
    else if (ch === '[') piece = characterClass(pattern, i);
    else if (ch === '(') piece = groupOpen(pattern, i);
    else if (ch === '.') piece = { text: DOT, end: i + 1 };
    else piece = { text: ch, end: i + 1 };
    out += piece.text;
    i = piece.end;
  }
  return out;
}

/** A compiled schema pattern: `test` finds a match anywhere in the string. */
export interface SchemaRegExp {
  test(text: string): boolean;
  toString(): string;
}

const compiledPatterns = new Map<string, SchemaRegExp>();

/**
 * ajv's `code.regExp` engine: a pattern compiled to RE2 (cached by pattern). The
 * generated stand-alone code (scripts/build-validators.mjs) refers to the engine
 * by the name in `code`, which the prebuilt module's factory takes as a parameter.
 */
export const schemaRegExp = Object.assign(
  (pattern: string): SchemaRegExp => {
    let known = compiledPatterns.get(pattern);
    if (known !== undefined) return known;
    let re: RE2JS;
    try {
      const RE2JS = re2();
      re = RE2JS.compile(toRe2Syntax(pattern));
    } catch (err) {
      if (err instanceof PatternError) throw err;
      throw new PatternError(pattern, `cannot run on the linear-time engine (${(err as Error).message})`);
    }
    known = { test: (text) => re.test(text), toString: () => pattern };
    compiledPatterns.set(pattern, known);
    return known;
  },
  { code: 'schemaRegExp' },
);
