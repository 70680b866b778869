/**
 * Where in a line a JSON Pointer points: turns a schema error's instancePath into
 * a column, so a report can say `file:line:col`. Runs on invalid lines only, on
 * text that JSON.parse already accepted.
 */

/** Decodes a JSON Pointer (RFC 6901) into its reference tokens. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function skipWs(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else return i;
  }
}

/** Index just past the string starting at `i` (which is a `"`). */
function skipString(text: string, i: number): number {
  i++;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) i += 2;
    else if (Number.isNaN(c)) return i;
    else i++;
  }
}

/** Index just past the (valid) JSON value starting at `i`. */
function skipValue(text: string, i: number): number {
  let depth = 0;
  for (;;) {
    const c = text.charCodeAt(i);
    if (Number.isNaN(c)) return i;
    if (c === 0x22) {
      i = skipString(text, i);
      if (depth === 0) return i;
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
      if (depth < 0) return i;
    } else if (depth === 0 && (c === 0x2c || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d)) {
      return i;
    }
    i++;
  }
}

function readKey(text: string, i: number): { key: string; end: number } {
  const end = skipString(text, i);
  const raw = text.slice(i, end);
  return { key: raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1), end };
}

/**
 * UTF-16 index of the value `pointer` designates in the JSON `text` (or of its
 * key, with `key`), or -1. With duplicate keys the last one counts, as in JSON.parse.
 */
export function locatePointer(text: string, pointer: string, options: { key?: boolean } = {}): number {
  const tokens = pointerTokens(pointer);
  let i = skipWs(text, 0);
  let keyAt = -1;
  for (const token of tokens) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) {
      let found = -1;
      let foundKey = -1;
      i = skipWs(text, i + 1);
      while (text.charCodeAt(i) === 0x22) {
        const { key, end } = readKey(text, i);
        const colon = skipWs(text, end);
        const valueAt = skipWs(text, colon + 1);
        if (key === token) {
          found = valueAt;
          foundKey = i;
        }
        i = skipWs(text, skipValue(text, valueAt));
        if (text.charCodeAt(i) === 0x2c) i = skipWs(text, i + 1);
      }
      if (found === -1) return -1;
      i = found;
      keyAt = foundKey;
    } else if (c === 0x5b) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return -1;
      let index = Number(token);
      i = skipWs(text, i + 1);
      while (index > 0) {
        if (text.charCodeAt(i) === 0x5d) return -1;
        i = skipWs(text, skipValue(text, i));
        if (text.charCodeAt(i) !== 0x2c) return -1;
        i = skipWs(text, i + 1);
        index--;
      }
      if (text.charCodeAt(i) === 0x5d) return -1;
      keyAt = -1;
    } else {
      return -1;
    }
  }
  return options.key === true && keyAt !== -1 ? keyAt : i;
}
