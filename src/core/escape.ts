/**
 * Text from the data (keys, paths, file names, kinds, schema descriptions)
 * made safe for a terminal: the one escaping rule of every diagnostic, label
 * and text output.
 *
 * - C0 controls and DEL (U+0000-U+001F, U+007F) become `\xHH` (`\x1b`, `\x0a`);
 * - C1 controls (U+0080-U+009F), bidi controls (U+061C, U+200E, U+200F,
 *   U+202A-U+202E, U+2066-U+2069), U+2028, U+2029 and lone surrogates become
 *   `\uHHHH` (`\u202e`, `\u009b`, `\ud800`);
 *
 * Nothing else changes, backslashes included: a query echoed under its caret,
 * a JSON-escaped key (`["a\u0001"]`) or a regex (`r"C:\\Windows"`) reads as it
 * was typed and can be copied back. The price: a text that holds the six
 * characters `\x1b` looks like one that holds ESC (both harmless). Text
 * without backslashes decodes back exactly. The result has no character a
 * terminal obeys (no ESC, so no CSI/OSC sequence; no CR, BS or newline to
 * forge a line; no reordering).
 */

/** Code points a terminal obeys or that reorder/break a line: C0, DEL, C1, bidi controls, U+2028/U+2029, surrogates. */
export function isTerminalUnsafe(cp: number): boolean {
  if (cp < 0x20) return true;
  if (cp < 0x7f) return false;
  if (cp <= 0x9f) return true;
  if (cp < 0x061c) return false;
  return (
    cp === 0x061c ||
    cp === 0x200e ||
    cp === 0x200f ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    (cp >= 0xd800 && cp <= 0xdfff)
  );
}

/** Quick test: does `text` hold anything escapeText would change? */
const NEEDS_ESCAPE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]/;

/** The printable escape of one unsafe code unit: `\x1b` below U+0080, else `\u202e`. */
export function escapeUnit(code: number): string {
  return code < 0x80 ? '\\x' + code.toString(16).padStart(2, '0') : '\\u' + code.toString(16).padStart(4, '0');
}

/**
 * The pieces of the escaped text, one per character of `text` (a surrogate
 * pair is one piece): what it shows as. Truncation cuts between pieces, never
 * inside an escape or a pair.
 */
export function escapedPieces(text: string): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        pieces.push(text.slice(i, i + 2));
        i++;
        continue;
      }
    }
    pieces.push(isTerminalUnsafe(c) ? escapeUnit(c) : text[i]!);
  }
  return pieces;
}

/** `text` with every terminal-unsafe character written as a printable escape (see the module comment). */
export function escapeText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return escapedPieces(text).join('');
}

/**
 * `text` escaped, then cut to at most `max` characters (code points) with `…`
 * as the last one when it was cut. The cut falls between whole escapes: a
 * label never ends inside `\x1b` (nor inside an OSC sequence, which escaping
 * has already defused).
 */
export function escapeAndTruncate(text: string, max: number): string {
  const pieces = escapedPieces(text);
  if (pieces.reduce((n, p) => n + pieceWidth(p), 0) <= max) return pieces.join('');
  let out = '';
  let used = 0;
  for (const p of pieces) {
    if (used + pieceWidth(p) > max - 1) break;
    out += p;
    used += pieceWidth(p);
  }
  return out + '…';
}

/** Width in code points of one piece: an escape is as wide as its text, a surrogate pair is one. */
function pieceWidth(piece: string): number {
  const c = piece.charCodeAt(0);
  return c >= 0xd800 && c <= 0xdbff ? 1 : piece.length;
}

/** Display width, in code points, of `text` once escaped. */
export function escapedWidth(text: string): number {
  return escapedPieces(text).reduce((n, p) => n + pieceWidth(p), 0);
}

/** Every terminal-unsafe code unit not paired as a surrogate: what tsvCell escapes besides its own four. */
export const UNSAFE_UNITS = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The characters JSON.stringify leaves raw that a terminal obeys or that reorder text. */
const JSON_UNSAFE = /[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * JSON text (from JSON.stringify, which escapes C0 and lone surrogates) with
 * DEL, C1, bidi controls and U+2028/U+2029 escaped as `\uHHHH` too: the same
 * value, still valid JSON (RFC 8259 allows any character to be escaped), and
 * nothing a terminal obeys. Outside strings JSON text has none of them.
 */
export function jsonForTerminal(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
