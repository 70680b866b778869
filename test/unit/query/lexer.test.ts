import { describe, expect, test } from 'vitest';
import { lex } from '../../../src/query/lexer.js';

/** `kind` or `kind:value` for each token, without the final eof. */
function kinds(source: string): string[] {
  const { tokens, errors } = lex(source);
  expect(errors).toEqual([]);
  return tokens
    .slice(0, -1)
    .map((t) => (t.value !== undefined ? `${t.kind}:${t.value}` : t.kind === 'path' ? `path:${t.text}` : t.kind));
}

describe('tokens', () => {
  test.each<[string, string[]]>([
    ['process.uid == 0', ['path:process.uid', '==', 'number:0']],
    ['a!=1', ['path:a', '!=', 'number:1']],
    ['a<1 a<=1 a>1 a>=1', ['path:a', '<', 'number:1', 'path:a', '<=', 'number:1', 'path:a', '>', 'number:1', 'path:a', '>=', 'number:1']],
    ['a =~ "x" b !~ r"y"', ['path:a', '=~', 'string:x', 'path:b', '!~', 'regex:y']],
    ['a && b || !c', ['path:a', 'and', 'path:b', 'or', 'not', 'path:c']],
    ['a and b or not c', ['path:a', 'and', 'path:b', 'or', 'not', 'path:c']],
    ['x in ["a", 1]', ['path:x', 'in', '[', 'string:a', ',', 'number:1', ']']],
    ['x not in []', ['path:x', 'not', 'in', '[', ']']],
    ['exists(a.b)', ['exists', '(', 'path:a.b', ')']],
    ['true false null', ['true', 'false', 'null']],
    ['process.args[0] process.args[-1] a[*].b m["x.y"]', ['path:process.args[0]', 'path:process.args[-1]', 'path:a[*].b', 'path:m["x.y"]']],
    ['n == -12.5e+3', ['path:n', '==', 'number:-12.5e+3']],
    ['n == 18446744073709551615', ['path:n', '==', 'number:18446744073709551615']],
    ['a.in == 1', ['path:a.in', '==', 'number:1']],
    ['  \t\n a  ', ['path:a']],
  ])('%j', (source, expected) => {
    expect(kinds(source)).toEqual(expected);
  });

  test('strings decode JSON escapes', () => {
    expect(kinds('a == "x\\"y\\\\z\\u00e9\\n"')).toEqual(['path:a', '==', 'string:x"y\\zé\n']);
  });

  test('in a regex literal only \\" is an escape; backslashes stay as written', () => {
    expect(kinds('a =~ r"^/tmp/[^/]+\\.sh$"')).toEqual(['path:a', '=~', 'regex:^/tmp/[^/]+\\.sh$']);
    expect(kinds('a =~ r"say \\"hi\\""')).toEqual(['path:a', '=~', 'regex:say "hi"']);
    expect(kinds('a =~ r"\\d\\\\"')).toEqual(['path:a', '=~', 'regex:\\d\\\\']);
  });

  test('tokens carry their source spans and text', () => {
    const { tokens } = lex('a.b  && "x"');
    expect(tokens.map((t) => [t.kind, t.span.start, t.span.end, t.text])).toEqual([
      ['path', 0, 3, 'a.b'],
      ['and', 5, 7, '&&'],
      ['string', 8, 11, '"x"'],
      ['eof', 10, 11, ''],
    ]);
  });

  test('the end of the query is its last non-blank character', () => {
    expect(lex('process.uid ==  ').tokens.at(-1)!.span).toEqual({ start: 13, end: 14 });
    expect(lex('').tokens.at(-1)!.span).toEqual({ start: 0, end: 0 });
  });
});

describe('bitwise and, integer bases', () => {
  test('a lone & is its own token; && is still and', () => {
    expect(lex('a & 4 && b').tokens.map((t) => t.kind)).toEqual(['path', '&', 'number', 'and', 'path', 'eof']);
    expect(lex('a&4').tokens.map((t) => t.kind)).toEqual(['path', '&', 'number', 'eof']);
  });

  test.each<[string, string]>([
    ['0x1F', '31'],
    ['0xff', '255'],
    ['0o4000', '2048'],
    ['0b101', '5'],
    ['-0x10', '-16'],
    ['0xFFFFFFFFFFFFFFFF', '18446744073709551615'],
    ['0o1777777777777777777777', '18446744073709551615'],
    ['0b' + '1'.repeat(64), '18446744073709551615'],
  ])('%s is the number %s (its text is kept in the token)', (text, value) => {
    const t = lex(`a == ${text}`).tokens[2];
    expect(t.kind).toBe('number');
    expect(t.value).toBe(value);
    expect(t.text).toBe(text);
  });
});

describe('lexical errors', () => {
  test.each<[string, string, number, number]>([
    ['a = 1', "unexpected '=': did you mean '=='?", 2, 3],
    ['a == 0x', "invalid number '0x' (after '0x' the digits are 0-9 and a-f", 5, 7],
    ['a == 0o8', "invalid number '0o8' (after '0o' the digits are 0-7", 5, 8],
    ['a == 0b102', "invalid number '0b102' (after '0b' the digits are 0 and 1", 5, 10],
    ['a == 0x1g', "invalid number '0x1g' (after '0x' the digits are 0-9 and a-f", 5, 9],
    ['a | b', "unexpected '|': did you mean '||'?", 2, 3],
    ["a == 'x'", 'strings are written in double quotes', 5, 8],
    ['a == 01', "invalid number '01' (leading zeros are not allowed)", 5, 7],
    ['a == 1.', "invalid number '1.' (a decimal point needs digits on both sides)", 5, 7],
    ['a == 12abc', "invalid number '12abc'", 5, 10],
    ['a == - 1', "unexpected '-': expected a number after it", 5, 6],
    ['a == "abc', 'unterminated string', 8, 9],
    ['a =~ r"abc', 'unterminated regex literal', 9, 10],
    ['a == "\\x"', "invalid escape '\\x' in string", 6, 8],
    ['a == "\\u12"', 'invalid \\u escape', 6, 10],
    ['a. == 1', "expected a field name after '.'", 2, 3],
    ['a[x] == 1', "expected an index, '*' or a quoted key after '['", 2, 3],
    ['a == 1 #', "unexpected '#'", 7, 8],
    ['a == 1 ☃☃', "unexpected '☃☃'", 7, 9],
  ])('%j: %s', (source, message, start, end) => {
    const { errors } = lex(source);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain(message);
    expect(errors[0].span).toEqual({ start, end });
  });

  test('every lexical error is reported, not only the first', () => {
    const { errors } = lex('a = 1 | b == 01 # "x');
    expect(errors.map((e) => e.message.split(':')[0])).toEqual([
      "unexpected '='",
      "unexpected '|'",
      "invalid number '01' (leading zeros are not allowed)",
      "unexpected '#'",
      'unterminated string',
    ]);
  });

  test('an unterminated string marks its opening quote', () => {
    const [e] = lex('a == "abc').errors;
    expect(e.opener).toEqual({ start: 5, end: 6 });
    expect(e.found).toBe('end of query');
  });
});
