import { describe, expect, it } from 'vitest';
import { lex, parseDurationText } from '../../../src/secl/lexer.js';

function kinds(src: string): string[] {
  const r = lex(src);
  expect(r.errors).toEqual([]);
  return r.tokens.filter((t) => t.type !== 'EOF').map((t) => `${t.type}:${t.text}`);
}

describe('the SECL lexer (ast/secl.go lexical grammar, participle ebnf)', () => {
  it.each([
    ['process.file.name', ['Ident:process.file.name']],
    ['process.ancestors[A].file.name', ['Ident:process.ancestors[A].file.name']],
    ['"a b"', ['String:"a b"']],
    ['~"/etc/*"', ['Pattern:~"/etc/*"']],
    ['r"^a.*"', ['Regexp:r"^a.*"']],
    ['${process.pid}', ['Variable:${process.pid}']],
    ['10.0.0.1', ['IP:10.0.0.1']],
    ['10.0.0.0/8', ['CIDR:10.0.0.0/8']],
    ['2001:db8::1', ['IP:2001:db8::1']],
    ['::1', ['IP:::1']],
    ['fe80::/10', ['CIDR:fe80::/10']],
    ['::ffff:1.2.3.4', ['IP:::ffff:1.2.3.4']],
    ['5s 10m 1h 10ms', ['Duration:5s', 'Duration:10m', 'Duration:1h', 'Duration:10ms']],
    ['42 -1 +7 0755', ['Int:42', 'Int:-1', 'Int:+7', 'Int:0755']],
    ['== != >= <= =~ !~', ['Punct:=', 'Punct:=', 'Punct:!', 'Punct:=', 'Punct:>', 'Punct:=', 'Punct:<', 'Punct:=', 'Punct:=', 'Punct:~', 'Punct:!', 'Punct:~']],
    ['a # comment\n&& b // another', ['Ident:a', 'Punct:&', 'Punct:&', 'Ident:b']],
  ])('reads %j', (src, want) => {
    expect(kinds(src)).toEqual(want);
  });

  it('tries the productions in order and keeps the first match: `x =~"a"` is `=` then the pattern `~"a"`', () => {
    expect(kinds('x =~"a"')).toEqual(['Ident:x', 'Punct:=', 'Pattern:~"a"']);
  });

  it('reads `x-1` as an identifier and the integer -1 (Int comes before Punct)', () => {
    expect(kinds('x-1')).toEqual(['Ident:x', 'Int:-1']);
    expect(kinds('x - 1')).toEqual(['Ident:x', 'Punct:-', 'Int:1']);
  });

  it('reads `5min` as the duration 5m then the identifier `in`', () => {
    expect(kinds('5min')).toEqual(['Duration:5m', 'Ident:in']);
  });

  it('reads `in[1]` as one identifier (identifiers may hold [ and ])', () => {
    expect(kinds('x in[1]')).toEqual(['Ident:x', 'Ident:in[1]']);
  });

  it('reads no hexadecimal integer: `0x10` is the integer 0 then the identifier x10', () => {
    expect(kinds('0x10')).toEqual(['Int:0', 'Ident:x10']);
  });

  it('keeps strings verbatim (no unescaping), with \\" inside', () => {
    const r = lex('"a\\"b\\n"');
    expect(r.tokens[0].value).toBe('a\\"b\\n');
  });

  it('maps a duration to nanoseconds', () => {
    expect(lex('1h').tokens[0].value).toBe('3600000000000');
    expect(parseDurationText('10ms')).toBe(10_000_000n);
  });

  it.each([
    ['5sss', 'invalid duration "5sss"'],
    ['5hs', 'invalid duration "5hs"'],
    ['a ; b', "unexpected character ';'"],
    ["a == 'x'", "unexpected character '''"],
    ['a\r\n', 'unexpected character U+000D'],
    ['"😀"', "unexpected character '\"'"],
  ])('refuses %j: %s', (src, message) => {
    const r = lex(src);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].code).toBe('syntax');
    expect(r.errors[0].message).toBe(message);
  });

  it('gives UTF-16 spans', () => {
    const r = lex('é == "ü"');
    // `é` is not an identifier character: the lexer stops there.
    expect(r.errors[0].span).toEqual({ start: 0, end: 1 });
    const ok = lex('a == "ü😀x"'.replace('😀', ''));
    expect(ok.tokens.map((t) => t.span)).toEqual([
      { start: 0, end: 1 },
      { start: 2, end: 3 },
      { start: 3, end: 4 },
      { start: 5, end: 9 },
      { start: 9, end: 9 },
    ]);
  });
});
