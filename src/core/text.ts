/**
 * Text as messages show it: columns counted in code points, and characters
 * named so that a message stays readable on one line.
 */

/** Code points in `text` from UTF-16 index `start` to `end`, as `Array.from` counts them (a lone surrogate is one). */
export function codePointCount(text: string, start: number, end: number): number {
  let count = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** 1-based column, in Unicode code points, of UTF-16 index `offset` in `text` (a surrogate pair is one column). */
export function columnAt(text: string, offset: number): number {
  return 1 + codePointCount(text, 0, offset);
}

/** C0 controls, DEL, C1 controls, U+2028 and U+2029: characters that would break a message's line. */
export function isControl(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029;
}

/** Code points a JSON syntax message shows as \uHHHH: invisible, blank or not a character. */
export function isUnprintable(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0xa0) ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202f) ||
    cp === 0x205f ||
    cp === 0x3000 ||
    (cp >= 0xd800 && cp <= 0xdfff) ||
    cp === 0xfeff ||
    cp === 0xfffe ||
    cp === 0xffff
  );
}

/** `U+0001` style name of a code point. */
export function codePointName(cp: number): string {
  return 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
}

/** `\u0001` style escape of a code unit. */
export function unicodeEscape(code: number): string {
  return '\\u' + code.toString(16).padStart(4, '0');
}

/** How a family of messages names characters. */
export interface CharNaming {
  /** What the end of the text is called: `end of path`, `end of line`. */
  readonly end: string;
  /** The name of one code point: `'x'`, `character U+0001`. */
  readonly name: (cp: number) => string;
}

/** Paths and queries: `'x'`, controls as `character U+0001`, `end of path`. */
export const PATH_NAMING: CharNaming = {
  end: 'end of path',
  name: (cp) => (isControl(cp) ? `character ${codePointName(cp)}` : `'${String.fromCodePoint(cp)}'`),
};

/** JSON syntax errors: `'x'`, `"'"`, unprintable ones as `'\u0001'`, `end of line`. */
export const JSON_NAMING: CharNaming = {
  end: 'end of line',
  name: (cp) => {
    if (cp === 0x27) return `"'"`;
    return `'${isUnprintable(cp) ? unicodeEscape(cp) : String.fromCodePoint(cp)}'`;
  },
};

/** The character at UTF-16 index `at` (a whole surrogate pair) named for a message, or the end when there is none. */
export function describeChar(text: string, at: number, naming: CharNaming = PATH_NAMING): string {
  if (at >= text.length) return naming.end;
  return naming.name(text.codePointAt(at)!);
}
