/**
 * The byte pass of csm-filter's selection (README "Selection on the bytes"):
 * one pass over a line's bytes that checks it is one JSON object exactly as
 * `JSON.parse` accepts it (RFC 8259 syntax, UTF-8) and, for the key paths of a
 * trie, records where their values are (slices of the line), without making
 * any other value. Anything it does not take on (a syntax error, invalid UTF-8,
 * a value that is not an object, nesting deeper than MAX_DEPTH) gives
 * undefined: the caller then takes the line the ordinary way, which reports it.
 *
 * The recorded tree follows JSON.parse's rules: the LAST occurrence of a
 * duplicate key wins (its first position kept); a key is compared after its
 * escapes are undone (`"n\u0061me"` is `name`); below a trie leaf, and where an
 * interior node of the trie meets a value that is not an object, the value is
 * taken whole, as a slice.
 */
import { isUtf8 } from 'node:buffer';

/** The key paths to extract: children by key; `leaf` takes the whole value there. */
export interface KeyTrie {
  leaf: boolean;
  /** The children's keys, as UTF-8 bytes and as strings (same order as `children`). */
  readonly keys: Uint8Array[];
  readonly names: string[];
  readonly children: KeyTrie[];
}

/** A value taken whole: bytes [start, end) of the line; its text and values are filled on first use. */
export class Slice {
  text: string | undefined;
  value: unknown;
  parsed = false;
  constructor(
    readonly start: number,
    readonly end: number,
    /** A string without escapes: its value is its bytes between the quotes. */
    readonly plainString = false,
  ) {}
}

/** The members of one object the trie reaches (insertion order and last-wins, as a plain object). */
export type SparseTree = Map<string, SparseTree | Slice>;

/** Deeper nesting is left to the ordinary path (JSON.parse's own limits). */
export const MAX_DEPTH = 512;

export function emptyTrie(): KeyTrie {
  return { leaf: false, keys: [], names: [], children: [] };
}

const encoder = new TextEncoder();

/** Adds a key path; a path that ends on a node makes it a leaf (its whole value), whatever lies below. */
export function addKeyPath(trie: KeyTrie, keys: readonly string[]): void {
  let node = trie;
  for (const key of keys) {
    if (node.leaf) return;
    let at = node.names.indexOf(key);
    if (at < 0) {
      at = node.names.length;
      node.names.push(key);
      node.keys.push(encoder.encode(key));
      node.children.push(emptyTrie());
    }
    node = node.children[at]!;
  }
  node.leaf = true;
}

// Byte classes inside a string: 0 plain, 1 quote, 2 backslash, 3 control (refused), 4 not ASCII.
const CLASS = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) CLASS[c] = 3;
CLASS[0x22] = 1;
CLASS[0x5c] = 2;
for (let c = 0x80; c < 0x100; c++) CLASS[c] = 4;

// Single-character escapes after a backslash: " \ / b f n r t (u is handled apart).
const SIMPLE_ESCAPE = new Uint8Array(256);
for (const c of '"\\/bfnrt') SIMPLE_ESCAPE[c.charCodeAt(0)] = 1;
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

/**
 * Why the last scanSparse gave undefined: a syntax error (JSON.parse would
 * throw too), or something else (not an object, too deep, not UTF-8).
 */
let failedOnSyntax = false;

/** True when the last scanSparse that gave undefined stopped on a syntax error (the line is not JSON). */
export function lastScanFailedOnSyntax(): boolean {
  return failedOnSyntax;
}

/** Set by scanString: the string held an escape / a byte >= 0x80. */
let sawEscape = false;
let sawHigh = false;

/** The index of the closing quote of the string whose opening quote is at `i - 1`, or -1. */
function scanString(b: Uint8Array, i: number, n: number): number {
  for (;;) {
    // Four plain bytes at a time (the padding's zeros are not plain: this never passes the end).
    while ((CLASS[b[i]!]! | CLASS[b[i + 1]!]! | CLASS[b[i + 2]!]! | CLASS[b[i + 3]!]!) === 0) i += 4;
    let k = CLASS[b[i]!]!;
    while (k === 0) k = CLASS[b[++i]!]!;
    if (i >= n) return -1;
    if (k === 1) return i;
    if (k === 2) {
      sawEscape = true;
      const e = b[i + 1]!;
      if (SIMPLE_ESCAPE[e] === 1) i += 2;
      else if (e === 0x75 && HEX[b[i + 2]!] === 1 && HEX[b[i + 3]!] === 1 && HEX[b[i + 4]!] === 1 && HEX[b[i + 5]!] === 1) i += 6;
      else return -1;
    } else if (k === 4) {
      sawHigh = true;
      i++;
    } else return -1;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** The end of the number starting at `i` (RFC 8259 §6), or -1. */
function scanNumber(b: Uint8Array, i: number): number {
  let c = b[i]!;
  if (c === 0x2d) c = b[++i]!;
  if (c === 0x30) c = b[++i]!;
  else if (c >= 0x31 && c <= 0x39) {
    do c = b[++i]!;
    while (isDigit(c));
  } else return -1;
  if (c === 0x2e) {
    c = b[++i]!;
    if (!isDigit(c)) return -1;
    do c = b[++i]!;
    while (isDigit(c));
  }
  if (c === 0x65 || c === 0x45) {
    c = b[++i]!;
    if (c === 0x2b || c === 0x2d) c = b[++i]!;
    if (!isDigit(c)) return -1;
    do c = b[++i]!;
    while (isDigit(c));
  }
  return i;
}

/** The end of the scalar (string, number, literal) starting at `i`, or -1. */
function scanScalar(b: Uint8Array, i: number, n: number): number {
  const c = b[i];
  if (c === 0x22) {
    const close = scanString(b, i + 1, n);
    return close < 0 ? -1 : close + 1;
  }
  if (c === 0x74) return b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65 ? i + 4 : -1;
  if (c === 0x66) return b[i + 1] === 0x61 && b[i + 2] === 0x6c && b[i + 3] === 0x73 && b[i + 4] === 0x65 ? i + 5 : -1;
  if (c === 0x6e) return b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c ? i + 4 : -1;
  return scanNumber(b, i);
}

function skipWs(b: Uint8Array, i: number): number {
  let c = b[i];
  while (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) c = b[++i];
  return i;
}

/** The child of `node` named by the key in bytes [start, end) (escapes undone when `escaped`). */
function childOf(node: KeyTrie, b: Uint8Array, start: number, end: number, escaped: boolean): number {
  if (escaped) {
    const name = JSON.parse(Buffer.from(b.buffer, b.byteOffset + start - 1, end - start + 2).toString('utf8')) as string;
    return node.names.indexOf(name);
  }
  const len = end - start;
  const keys = node.keys;
  outer: for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    if (key.length !== len) continue;
    for (let j = 0; j < len; j++) if (key[j] !== b[start + j]) continue outer;
    return k;
  }
  return -1;
}

/** Bytes after the line's end that every read may touch: zeros (no JSON token is a 0 byte). */
const PAD = 8;
/** The copy buffer kept between lines (a longer one is dropped after its line). */
const SCRATCH_KEPT = 1 << 20;
let scratch = new Uint8Array(1 << 16);

/**
 * The line copied into a buffer followed by PAD zero bytes: the scanner then
 * never reads past the end of an array (which makes V8 drop its optimised code).
 */
function padded(line: Uint8Array): Uint8Array {
  const n = line.length;
  if (scratch.length < n + PAD) scratch = new Uint8Array(Math.max(n + PAD, scratch.length * 2));
  // After a long line, a short one gives the memory back.
  else if (scratch.length > SCRATCH_KEPT && n + PAD <= SCRATCH_KEPT) scratch = new Uint8Array(SCRATCH_KEPT);
  scratch.set(line);
  scratch.fill(0, n, n + PAD);
  return scratch;
}

// The open containers (an explicit stack: no recursion, bounded by MAX_DEPTH).
const isArray = new Uint8Array(MAX_DEPTH + 1);
/** The trie node of an object whose members are looked at (null: skipped). */
const nodes: (KeyTrie | null)[] = new Array(MAX_DEPTH + 1).fill(null);
const outs: (SparseTree | null)[] = new Array(MAX_DEPTH + 1).fill(null);
/** Where a container taken whole is recorded when it closes (null: nowhere). */
const wholeOut: (SparseTree | null)[] = new Array(MAX_DEPTH + 1).fill(null);
const wholeKey: string[] = new Array(MAX_DEPTH + 1).fill('');
const wholeStart = new Int32Array(MAX_DEPTH + 1);

/**
 * The members the trie reaches in the JSON object on `bytes`, or undefined
 * when the bytes are not exactly one JSON object in UTF-8 (or nest deeper than
 * MAX_DEPTH). `trie`'s root is never a leaf.
 */
export function scanSparse(line: Uint8Array, trie: KeyTrie): SparseTree | undefined {
  const n = line.length;
  const b = padded(line);
  sawHigh = false;
  failedOnSyntax = false;
  let i = skipWs(b, 0);
  if (b[i] !== 0x7b) return undefined;
  failedOnSyntax = true;
  const root: SparseTree = new Map();
  // The open container's state, in locals (saved on the stack at depth while a deeper one is open).
  let depth = 0;
  let array = false;
  let frameNode: KeyTrie | null = trie;
  let frameOut: SparseTree | null = root;
  isArray[0] = 0;
  nodes[0] = trie;
  outs[0] = root;
  wholeOut[0] = null;
  i = skipWs(b, i + 1);
  let empty = b[i] === 0x7d;
  if (empty) i++;
  for (;;) {
    if (!empty) {
      // At the start of a member (a key) or an element.
      let node: KeyTrie | null = null;
      let name = '';
      if (!array) {
        if (b[i] !== 0x22) return undefined;
        sawEscape = false;
        const close = scanString(b, i + 1, n);
        if (close < 0) return undefined;
        if (frameNode !== null) {
          const at = childOf(frameNode, b, i + 1, close, sawEscape);
          if (at >= 0) {
            node = frameNode.children[at]!;
            name = frameNode.names[at]!;
          }
        }
        i = close + 1;
        if (b[i] !== 0x3a) {
          i = skipWs(b, i);
          if (b[i] !== 0x3a) return undefined;
        }
        i++;
        if (b[i]! <= 0x20) i = skipWs(b, i);
      }
      const c = b[i];
      if (c === 0x7b || c === 0x5b) {
        if (depth === MAX_DEPTH) {
          failedOnSyntax = false;
          return undefined;
        }
        const start = i;
        depth++;
        array = c === 0x5b;
        isArray[depth] = array ? 1 : 0;
        if (node !== null && !node.leaf && !array) {
          // An interior node meets an object: its members are looked at (a duplicate key replaces the earlier value).
          const inner: SparseTree = new Map();
          frameOut!.set(name, inner);
          frameNode = node;
          frameOut = inner;
          wholeOut[depth] = null;
        } else {
          wholeOut[depth] = node !== null ? frameOut : null;
          wholeKey[depth] = name;
          wholeStart[depth] = start;
          frameNode = null;
          frameOut = null;
        }
        nodes[depth] = frameNode;
        outs[depth] = frameOut;
        i++;
        if (b[i]! <= 0x20) i = skipWs(b, i);
        empty = b[i] === (array ? 0x5d : 0x7d);
        if (empty) i++;
        else continue;
      } else {
        sawEscape = false;
        const end = scanScalar(b, i, n);
        if (end < 0) return undefined;
        if (node !== null) frameOut!.set(name, new Slice(i, end, c === 0x22 && !sawEscape));
        i = end;
      }
    }
    // A value is complete: close every container that ends after it.
    for (;;) {
      if (empty) {
        empty = false;
        const into = wholeOut[depth];
        if (into !== null) into.set(wholeKey[depth]!, new Slice(wholeStart[depth]!, i));
        if (depth === 0) return finish(b, i, n, root, line);
        depth--;
        array = isArray[depth] === 1;
        frameNode = nodes[depth]!;
        frameOut = outs[depth]!;
      }
      let d = b[i]!;
      if (d <= 0x20) d = b[(i = skipWs(b, i))]!;
      if (d === 0x2c) {
        i++;
        if (b[i]! <= 0x20) i = skipWs(b, i);
        break;
      }
      if (d !== (array ? 0x5d : 0x7d)) return undefined;
      i++;
      empty = true;
    }
  }
}

/** After the object only whitespace may follow; every byte >= 0x80 (all in strings) must be UTF-8. */
function finish(b: Uint8Array, i: number, n: number, root: SparseTree, line: Uint8Array): SparseTree | undefined {
  if (skipWs(b, i) !== n) return undefined;
  failedOnSyntax = false;
  if (sawHigh && !isUtf8(line)) return undefined;
  return root;
}
