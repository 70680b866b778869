import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildSchemaIndex } from '../../../src/core/schema-index.js';
import { formatPath } from '../../../src/core/path.js';
import { checkQuery } from '../../../src/query/check.js';
import { parseQuery } from '../../../src/query/parser.js';
import type { QueryError } from '../../../src/query/errors.js';

const schema = buildSchemaIndex(
  JSON.parse(readFileSync(new URL('../../../schema/backend_linux.schema.json', import.meta.url), 'utf8')) as object,
);

function check(source: string, withSchema = true) {
  const p = parseQuery(source);
  if (!p.ok) throw new Error(`${source}: ${p.errors[0].message}`);
  return checkQuery(p.ast, { schema: withSchema ? schema : null });
}

function errorsOf(source: string, withSchema = true): QueryError[] {
  const r = check(source, withSchema);
  if (r.ok) throw new Error(`${source} passed the check`);
  return r.errors;
}

/** The text each error underlines. */
function underlined(source: string, withSchema = true): string[] {
  return errorsOf(source, withSchema).map((e) => source.slice(e.span.start, e.span.end));
}

describe('accepted queries', () => {
  test.each([
    'process.uid == 0',
    'process.args == "-c"',
    'process.ancestors[*].executable.name == "sshd"',
    'mount.mountpoint.path =~ "/mnt/**"',
    'file.inode == 18446744073709551615',
    'process.comm in ["bash", "sh"]',
    'process.pid not in [1, 2]',
    'process.tty == null',
    'exists(process.tty)',
    'process.executable.path =~ r"^/tmp/[^/]+\\.sh$"',
    'process.comm < "m"',
    'evt.variables.anything == 1',
    'process.user_session.k8s_extra.team == "blue"',
    'process.is_thread == true',
    'process.pid == 1.0',
    'file.path =~ "[a-z]*"',
  ])('%s', (source) => {
    const r = check(source);
    expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual([]);
  });

  test('the checked AST holds the schema-resolved paths', () => {
    const r = check('mount.mountpoint.path == "/mnt"');
    if (!r.ok) throw new Error('should pass');
    expect(r.ast.type === 'compare' && formatPath(r.ast.path)).toBe('mount["mountpoint.path"]');
  });

  test('without a schema, paths are taken literally and any field is accepted', () => {
    const r = check('mount.mountpoint.path == "/mnt" and nothing.like.this == 1', false);
    if (!r.ok) throw new Error('should pass');
    if (r.ast.type !== 'and' || r.ast.operands[0].type !== 'compare') throw new Error('shape');
    expect(formatPath(r.ast.operands[0].path)).toBe('mount.mountpoint.path');
  });
});

describe('one example per error kind', () => {
  // source, code, message, underlined text
  test.each<[string, QueryError['code'], string, string]>([
    [
      'process.arg == "-c"',
      'unknown-field',
      "unknown field 'process.arg' — did you mean 'process.args'?",
      'arg',
    ],
    [
      'process.pid[0] == 1',
      'unknown-field',
      "'process.pid' is an integer, not a list: '[0]' does not apply",
      '[0]',
    ],
    ['process.comm in "bash"', 'operand', "expected a list after 'in', found a string (write in [...])", '"bash"'],
    ['process.comm == ["a"]', 'operand', "a list can only follow 'in' or 'not in', not '=='", '["a"]'],
    ['process.comm in [["a"]]', 'operand', 'a list holds strings, numbers, booleans and null, not a list', '["a"]'],
    ['process.comm in [r"a"]', 'operand', 'a list holds strings, numbers, booleans and null, not a regex literal', 'r"a"'],
    ['process.comm == r"a"', 'operand', "a regex literal can only follow '=~' or '!~', not '=='", 'r"a"'],
    ['process.comm =~ 1', 'operand', `expected a glob string "..." or a regex r"..." after '=~', found a number`, '1'],
    ['process.pid < true', 'operand', "'<' compares numbers or strings, not a boolean", 'true'],
    ['process.pid >= null', 'operand', "'>=' compares numbers or strings, not null", 'null'],
    [
      'process.pid == "1"',
      'type',
      "type mismatch: 'process.pid' is an integer in the schema, so '==' with a string never matches (values are never converted)",
      '"1"',
    ],
    [
      'process.comm != 3',
      'type',
      "type mismatch: 'process.comm' is a string in the schema, so '!=' with a number always holds (values are never converted)",
      '3',
    ],
    [
      'process.pid =~ "1*"',
      'type',
      "type mismatch: 'process.pid' is an integer in the schema, so '=~' with a string never matches (values are never converted)",
      '"1*"',
    ],
    [
      'process.args in ["-c", 2]',
      'type',
      "type mismatch: 'process.args' is a string in the schema, so 'in' with a number never matches (values are never converted)",
      '2',
    ],
    [
      'process.comm =~ r"(a)\\1"',
      'regex',
      'invalid regex: invalid escape sequence: `\\1` (RE2 syntax: no lookaround, no backreferences)',
      '\\1',
    ],
    [
      'process.comm =~ r"(?=x)y"',
      'regex',
      'invalid regex: invalid or unsupported Perl syntax: `(?=` (RE2 syntax: no lookaround, no backreferences)',
      '(?=',
    ],
    ['process.comm =~ r"a(b"', 'regex', 'invalid regex: missing closing ): `a(b`', 'a(b'],
    [
      'process.comm =~ "[abc"',
      'glob',
      "invalid glob: unclosed '[' in glob (write '\\\\[' in the query string for a literal '[')",
      '[',
    ],
    ['process.comm =~ "[z-a]"', 'glob', "invalid glob: invalid range 'z-a' in glob class: the end comes before the start", 'z-a'],
  ])('%s', (source, code, message, text) => {
    const errors = errorsOf(source);
    expect(errors.map((e) => e.message)).toEqual([message]);
    expect(errors[0].code).toBe(code);
    expect(source.slice(errors[0].span.start, errors[0].span.end)).toBe(text);
  });

  test('a regex error points into the pattern past \\" escapes', () => {
    const source = 'process.comm =~ r"\\"x\\"(?=y)"';
    expect(underlined(source)).toEqual(['(?=']);
  });

  test('null may be compared with any field: a present null is a value', () => {
    expect(check('process.pid == null').ok).toBe(true);
    expect(check('process.pid in [1, null]').ok).toBe(true);
  });

  test('operand errors are found without a schema too; type errors need one', () => {
    expect(underlined('a in "x"', false)).toEqual(['"x"']);
    expect(check('a == "1"', false).ok).toBe(true);
  });
});

describe('collecting errors', () => {
  test('every check error is reported, in query order', () => {
    const source =
      'process.arg == "x" and process.pid == "1" or file.path =~ r"(?=a)" and proces.comm in "a" and process.pid < false';
    const errors = errorsOf(source);
    expect(errors.map((e) => [e.code, source.slice(e.span.start, e.span.end)])).toEqual([
      ['unknown-field', 'arg'],
      ['type', '"1"'],
      ['regex', '(?='],
      ['unknown-field', 'proces'],
      ['operand', '"a"'],
      ['operand', 'false'],
    ]);
    expect(errors[3].suggestion).toBe('process.comm');
  });
});

describe('bitwise and', () => {
  test.each([
    'file.destination.mode & 0o4000 != 0',
    'file.destination.mode & 0x800 == 0x800',
    'process.pid & 1 in [0, 1]',
    'process.pid & 18446744073709551615 > 0',
    'process.pid & 1e3 == 0',
  ])('accepted: %s', (source) => {
    expect(check(source).ok).toBe(true);
  });

  test('without a schema any field may be and-ed', () => {
    expect(check('process.comm & 1 == 1', false).ok).toBe(true);
  });

  // source, code, message, underlined text
  test.each<[string, QueryError['code'], string, string]>([
    ['process.comm & 1 == 1', 'type', "'process.comm' is a string in the schema, so it is never an integer to '&' with", '&'],
    ['process.pid & 1.5 == 1', 'operand', "the operand of '&' must be a non-negative integer", '1.5'],
    ['process.pid & -1 == 1', 'operand', "the operand of '&' must be a non-negative integer", '-1'],
    ['process.pid & 1 == "1"', 'operand', "is an integer: compare it with a number, not a string", '"1"'],
    ['process.pid & 1 == true', 'operand', 'compare it with a number, not a boolean', 'true'],
    ['process.pid & 1 =~ "1*"', 'operand', "'=~' matches strings", '"1*"'],
    ['process.pid & 1 in 1', 'operand', "expected a list of numbers after 'in'", '1'],
    ['process.pid & 1 in [1, "x"]', 'operand', 'compare it with a number, not a string', '"x"'],
  ])('%s: %s', (source, code, message, text) => {
    const [e] = errorsOf(source);
    expect(e.code).toBe(code);
    expect(e.message).toContain(message);
    expect(source.slice(e.span.start, e.span.end)).toBe(text);
  });
});

describe('instants: a date-time field against a string', () => {
  test.each(['date >= "2024-08-01T06:00:00Z"', 'date == "2024-08-01t08:00:00.5+02:00"', 'date in ["2024-08-01T06:00:00Z", null]'])(
    'marked instant: %s',
    (source) => {
      const r = check(source);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.ast).toMatchObject({ type: 'compare', instant: true });
    },
  );

  test('marked for a date-time field against a string; not for globs, other fields, or without a schema', () => {
    expect(check('date == "2024-08-01T06:00:00Z"')).toMatchObject({ ok: true, ast: { instant: true } });
    for (const [source, withSchema] of [
      ['date =~ "2024-08-01*"', true],
      ['process.comm == "2024-08-01T06:00:00Z"', true],
      ['date >= "2024-08-01T06:00:00Z"', false],
      ['date >= "yesterday"', false],
    ] as const) {
      const r = check(source, withSchema);
      expect(r.ok, source).toBe(true);
      if (r.ok) expect(r.ast, source).not.toHaveProperty('instant');
    }
  });

  test.each([
    ['date >= "2024-08-01"', '"2024-08-01"'],
    ['date < "2024-08-01 06:00:00Z"', '"2024-08-01 06:00:00Z"'],
    ['date == "2024-02-30T00:00:00Z"', '"2024-02-30T00:00:00Z"'],
    ['date != "2024-08-01T23:59:60+01:00"', '"2024-08-01T23:59:60+01:00"'],
    ['date in ["2024-08-01T06:00:00Z", "soon"]', '"soon"'],
  ])('a literal that is not RFC 3339 is an error: %s', (source, text) => {
    const [e] = errorsOf(source);
    expect(e.code).toBe('operand');
    expect(e.message).toContain("'date' is a date-time, so");
    expect(e.message).toContain('must be an RFC 3339 date-time');
    expect(source.slice(e.span.start, e.span.end)).toBe(text);
  });
});
