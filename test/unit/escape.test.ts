import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeAndTruncate, escapeText, escapedWidth, isTerminalUnsafe, jsonForTerminal } from '../../src/core/escape.js';

/** Reads the escapes back (`\xHH`, `\uHHHH`): the inverse of escapeText on text without backslashes. */
function unescapeText(text: string): string {
  return text.replace(/\\x([0-9a-f]{2})|\\u([0-9a-f]{4})/g, (_m, x: string | undefined, u: string | undefined) =>
    String.fromCharCode(parseInt(x ?? u!, 16)),
  );
}

/** Any code unit (lone surrogates included), with backslashes, `x`, `u`, hex digits and controls made frequent. */
const anyText = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      fc.constantFrom('\\', 'x', 'u', '0', '1', 'b', 'e', '2', '\x1b', '\n', '\r', '\b', '\u202e', '\u009b', '\u2028', '\ud800', '\udc00', '😀', ']', '8', ';'),
    ),
    { maxLength: 40 },
  )
  .map((a) => a.join(''));

/** Every code unit the escaped text may not hold: C0, DEL, C1, bidi controls, separators, lone surrogates. */
function unsafeUnits(text: string): string[] {
  const bad: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff) {
      i++;
      continue;
    }
    if (isTerminalUnsafe(c)) bad.push(text[i]!);
  }
  return bad;
}

describe('escapeText: what a terminal is shown of the data', () => {
  it.each([
    ['plain text stays as it is', '/usr/bin/ls -la', '/usr/bin/ls -la'],
    ['ESC, as in a CSI clear screen, becomes \\x1b', '\x1b[2J', '\\x1b[2J'],
    ['an OSC 8 hyperlink is defused', '\x1b]8;;http://evil\x07click\x1b]8;;\x07', '\\x1b]8;;http://evil\\x07click\\x1b]8;;\\x07'],
    ['a newline cannot forge a report line', 'k\nf.ndjson:9:1: FORGED', 'k\\x0af.ndjson:9:1: FORGED'],
    ['CR, BS and DEL', 'a\rb\bc\x7f', 'a\\x0db\\x08c\\x7f'],
    ['C1 CSI (U+009B)', 'a\u009b2J', 'a\\u009b2J'],
    ['bidi controls', '\u202eexe.txt\u2066\u061c\u200e\u200f', '\\u202eexe.txt\\u2066\\u061c\\u200e\\u200f'],
    ['line and paragraph separators', 'a\u2028b\u2029', 'a\\u2028b\\u2029'],
    ['a lone surrogate, but not a pair', '\ud800 😀 \udc00', '\\ud800 😀 \\udc00'],
    ['backslashes stay as they are (a regex, a path, a JSON escape)', 'C:\\logs ^/tmp/\\.sh$ ["a\\u0001"]', 'C:\\logs ^/tmp/\\.sh$ ["a\\u0001"]'],
    ['accents, CJK and emoji are printable', 'café 日本 😀', 'café 日本 😀'],
  ])('%s', (_name, input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });

  it('leaves no character a terminal obeys, for any text (property)', () => {
    fc.assert(fc.property(anyText, (s) => unsafeUnits(escapeText(s)).length === 0), { numRuns: 500 });
  });

  it('decodes back to the original when the text has no backslash: two such texts never look the same (property)', () => {
    fc.assert(fc.property(anyText.map((s) => s.replace(/\\/g, '/')), (s) => unescapeText(escapeText(s)) === s), { numRuns: 500 });
  });

  it('changes nothing in a text without unsafe characters (property)', () => {
    fc.assert(fc.property(anyText, (s) => unsafeUnits(s).length > 0 || escapeText(s) === s), { numRuns: 300 });
  });
});

describe('escapeAndTruncate: labels cut to a width after escaping', () => {
  it('keeps a short text whole', () => {
    expect(escapeAndTruncate('exec', 10)).toBe('exec');
  });

  it('never cuts inside an escape: the cut falls before it', () => {
    expect(escapeAndTruncate('ab\x1b]8;;http://x', 5)).toBe('ab…');
    expect(escapeAndTruncate('ab\x1b]8;;http://x', 7)).toBe('ab\\x1b…');
  });

  it('never cuts a surrogate pair', () => {
    expect(escapeAndTruncate('😀😀😀', 2)).toBe('😀…');
  });

  it('is at most the width asked, escaped, and a prefix of the whole escape (property)', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 1, max: 30 }), (s, max) => {
        const cut = escapeAndTruncate(s, max);
        const whole = escapeText(s);
        expect(unsafeUnits(cut)).toEqual([]);
        if (cut === whole) return escapedWidth(s) <= max;
        return cut.endsWith('…') && whole.startsWith(cut.slice(0, -1)) && Array.from(cut).length <= max;
      }),
      { numRuns: 300 },
    );
  });
});

describe('jsonForTerminal: JSON that a terminal can show', () => {
  it('escapes DEL, C1, bidi controls and separators that JSON.stringify leaves raw', () => {
    const json = jsonForTerminal(JSON.stringify({ k: '\u202e\u009b\x7f\u2028 \x1b' }));
    expect(json).toBe('{"k":"\\u202e\\u009b\\u007f\\u2028 \\u001b"}');
    expect(JSON.parse(json)).toEqual({ k: '\u202e\u009b\x7f\u2028 \x1b' });
  });

  it('is the same value, valid JSON, with nothing unsafe (property)', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const json = jsonForTerminal(JSON.stringify({ [s]: s }));
        return unsafeUnits(json).length === 0 && JSON.stringify(JSON.parse(json)) === JSON.stringify({ [s]: s });
      }),
      { numRuns: 300 },
    );
  });
});
