/**
 * One pass over a line's bytes that proves it valid against a compiled schema
 * (compile.ts), or gives up. It checks, in that pass: RFC 8259 syntax exactly
 * as JSON.parse takes it (whitespace: space, tab, LF, CR), UTF-8 (as
 * `isUtf8`: no overlong forms, no surrogates, nothing past U+10FFFF), each
 * node's types, known and required keys, closed objects, items and RFC 3339
 * date-times (formats.ts: the checker ajv uses, or its twin on the bytes for a
 * plain ASCII string). No value is built.
 *
 * It gives up (returns false) on anything it does not prove, valid or not: a
 * key with a lone-surrogate escape or longer than 256 bytes once its escapes
 * are undone (other escaped keys are compared decoded), a key seen twice in an object (JSON.parse keeps the last;
 * giving up is simpler than proving), a number with an exponent or more than
 * 300 integer digits (it could be Infinity) where a `type` reads it, a fraction where only integers
 * pass (`1.0`), nesting deeper than MAX_DEPTH, a date-time longer than 256 bytes. The
 * caller then takes the ajv way, which writes the full report.
 *
 * While it reads, it keeps where `agent.os`, `agent.version`, `agent.rule_id`
 * and `evt.name` are (when they are strings) and whether `agent` and `evt` are
 * objects: what the verdict of a valid line says (see line.ts).
 */
import { isRfc3339DateTime, isRfc3339DateTimeBytes } from '../formats.js';
import { KEY, escapeAt, escapedEnd, escapedHash, escapedKey, utf8At } from './text.js';
import { type FastNode, type FastSchema, T_ALL, T_ARR, T_BOOL, T_INT, T_NULL, T_NUM, T_OBJ, T_STR, lookupKey } from './compile.js';

/** Deeper values give up (the slow path judges them). */
export const MAX_DEPTH = 64;
/** Integer digits beyond which a number gives up (10^309 is Infinity as a double). */
const MAX_INT_DIGITS = 300;
/** A longer date-time gives up (RFC 3339 ones are 20 to 35 bytes, with a long fraction a little more; escapes take 6). */
const MAX_DATE_TIME_BYTES = 256;

/** What a value is, for the captures: its code tells the scan what to note. */
const CAP_ROOT = 1;
const CAP_AGENT = 2;
const CAP_EVT = 3;
/** String captures: slots of `capStart` / `capEnd` / `capFlags`. */
export const CAP_OS = 4;
export const CAP_VERSION = 5;
export const CAP_RULE_ID = 6;
export const CAP_NAME = 7;

const EMPTY = new Uint8Array(0);
let B: Uint8Array = EMPTY;
let P = 0;
let N = 0;
let S: FastSchema;
let stamps: Int32Array[] = [];
let stampId = 0;
let strStart = 0;
let strEnd = 0;

/** The captures of the last scan. */
export const capture = {
  agentObject: false,
  /** The `agent` object was read to its end (its captures are whole, even if the line then gave up). */
  agentDone: false,
  evtObject: false,
  start: new Int32Array(8),
  end: new Int32Array(8),
  /** 1: escapes, 2: non-ASCII bytes; -1: not seen. */
  flags: new Int32Array(8),
};

const stampsOf = new WeakMap<FastSchema, Int32Array[]>();

/** True when `bytes` is one JSON value that `schema` accepts, and nothing gave up. */
export function scanLine(schema: FastSchema, bytes: Uint8Array): boolean {
  let st = stampsOf.get(schema);
  if (st === undefined) {
    st = Array.from({ length: MAX_DEPTH + 1 }, () => new Int32Array(schema.maxKeys));
    stampsOf.set(schema, st);
  }
  if (stampId > 0x3fffffff) {
    for (const s of st) s.fill(0);
    stampId = 0;
  }
  S = schema;
  stamps = st;
  B = bytes;
  P = 0;
  N = bytes.length;
  capture.agentObject = false;
  capture.agentDone = false;
  capture.evtObject = false;
  capture.flags.fill(-1);
  let ok = value(schema.root, 0, CAP_ROOT);
  if (ok) {
    ws();
    ok = P === N;
  }
  B = EMPTY;
  lastAt = P;
  return ok;
}

let lastAt = 0;

/** Where the last scan stopped: the byte offset at which it gave up (for tests and diagnostics). */
export function stoppedAt(): number {
  return lastAt;
}

function ws(): void {
  while (P < N) {
    const b = B[P]!;
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) P++;
    else break;
  }
}

function value(node: FastNode, depth: number, cap: number): boolean {
  ws();
  if (P >= N) return false;
  const t = node.types;
  switch (B[P]) {
    case 0x22:
      if ((t & T_STR) === 0) return false;
      if (node.dateTime || cap >= CAP_OS) return specialString(node, cap);
      return string() >= 0;
    case 0x7b:
      if ((t & T_OBJ) === 0 || depth >= MAX_DEPTH) return false;
      if (cap === CAP_AGENT) {
        capture.agentObject = true;
        if (!object(node, depth, cap)) return false;
        capture.agentDone = true;
        return true;
      }
      if (cap === CAP_EVT) capture.evtObject = true;
      return object(node, depth, cap);
    case 0x5b:
      if ((t & T_ARR) === 0 || depth >= MAX_DEPTH) return false;
      return array(node, depth);
    case 0x74:
      return (t & T_BOOL) !== 0 && literal(0x74, 0x72, 0x75, 0x65);
    case 0x6e:
      return (t & T_NULL) !== 0 && literal(0x6e, 0x75, 0x6c, 0x6c);
    case 0x66:
      if ((t & T_BOOL) === 0 || !literal(0x66, 0x61, 0x6c, 0x73) || P >= N || B[P] !== 0x65) return false;
      P++;
      return true;
    default:
      return number(t);
  }
}

function literal(a: number, b: number, c: number, d: number): boolean {
  if (P + 4 > N || B[P] !== a || B[P + 1] !== b || B[P + 2] !== c || B[P + 3] !== d) return false;
  P += 4;
  return true;
}

function isDigit(i: number): boolean {
  if (i >= N) return false;
  const c = B[i]!;
  return c >= 0x30 && c <= 0x39;
}

function number(t: number): boolean {
  let i = P;
  if (i < N && B[i] === 0x2d) i++;
  const digits = i;
  if (i >= N) return false;
  const first = B[i]!;
  if (first === 0x30) i++;
  else if (first >= 0x31 && first <= 0x39) {
    i++;
    while (isDigit(i)) i++;
  } else return false;
  const long = i - digits > MAX_INT_DIGITS;
  let fraction = false;
  if (i < N && B[i] === 0x2e) {
    i++;
    if (!isDigit(i)) return false;
    while (isDigit(i)) i++;
    fraction = true;
  }
  let exponent = false;
  if (i < N && (B[i] === 0x65 || B[i] === 0x45)) {
    i++;
    if (i < N && (B[i] === 0x2b || B[i] === 0x2d)) i++;
    if (!isDigit(i)) return false;
    while (isDigit(i)) i++;
    exponent = true;
  }
  P = i;
  // Where no `type` is, nothing reads the number: any spelling passes.
  if (t === T_ALL) return true;
  if (long || exponent) return false;
  return (t & (fraction ? T_NUM : T_INT | T_NUM)) !== 0;
}

/** A string at P (its opening quote): -1, or flags (1: escapes, 2: non-ASCII); its content is strStart..strEnd. */
function string(): number {
  let i = P + 1;
  const start = i;
  let flags = 0;
  for (;;) {
    if (i >= N) return -1;
    const c = B[i]!;
    if (c === 0x22) break;
    if (c === 0x5c) {
      flags |= 1;
      i = escapeAt(B, N, i);
      if (i < 0) return -1;
    } else if (c < 0x20) return -1;
    else if (c >= 0x80) {
      flags |= 2;
      i = utf8At(B, N, i);
      if (i < 0) return -1;
    } else i++;
  }
  strStart = start;
  strEnd = i;
  P = i + 1;
  return flags;
}

function specialString(node: FastNode, cap: number): boolean {
  const flags = string();
  if (flags < 0) return false;
  if (node.dateTime) {
    if (strEnd - strStart > MAX_DATE_TIME_BYTES) return false;
    // Plain ASCII (the usual case): checked on the bytes; else on the string JSON.parse would give.
    if (flags === 0 ? !isRfc3339DateTimeBytes(B, strStart, strEnd) : !isRfc3339DateTime(stringAt(B, strStart, strEnd, flags))) return false;
  }
  if (cap >= CAP_OS) {
    capture.start[cap] = strStart;
    capture.end[cap] = strEnd;
    capture.flags[cap] = flags;
  }
  return true;
}

// ignoreBOM: a string may begin with U+FEFF, which JSON.parse keeps (a default TextDecoder drops it).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const ascii = new TextDecoder('latin1');

/**
 * The string whose content (between its quotes) is bytes[start, end), proven
 * well-formed by the scan; `flags` as `string()` returns them. Without escapes
 * it is the bytes as characters (ASCII) or as UTF-8 text (the BOM kept); with
 * escapes JSON.parse reads it, so it is what JSON.parse would give (lone
 * surrogates included).
 */
export function stringAt(bytes: Uint8Array, start: number, end: number, flags: number): string {
  // ASCII only: windows-1252 (the WHATWG 'latin1') reads it as itself, in one flat string.
  if (flags === 0) return ascii.decode(bytes.subarray(start, end));
  // Non-ASCII without escapes: the UTF-8 text itself (the scan proved it well-formed, without raw control characters).
  if (flags === 2) return decoder.decode(bytes.subarray(start, end));
  return JSON.parse(`"${decoder.decode(bytes.subarray(start, end))}"`) as string;
}

/** The capture code of the value of known key `p` of an object whose code is `cap`. */
function captureOf(cap: number, p: number): number {
  const c = S.captures;
  if (cap === CAP_ROOT) return p === c.agent ? CAP_AGENT : p === c.evt ? CAP_EVT : 0;
  if (cap === CAP_AGENT) return p === c.os ? CAP_OS : p === c.version ? CAP_VERSION : p === c.ruleId ? CAP_RULE_ID : 0;
  if (cap === CAP_EVT) return p === c.name ? CAP_NAME : 0;
  return 0;
}

function object(node: FastNode, depth: number, cap: number): boolean {
  P++;
  ws();
  if (P < N && B[P] === 0x7d) {
    P++;
    return node.requiredCount === 0;
  }
  const id = ++stampId;
  const seen = stamps[depth]!;
  const keyed = node.keys.length > 0;
  let required = 0;
  for (;;) {
    if (P >= N || B[P] !== 0x22) return false;
    let i = P + 1;
    const start = i;
    let h = 0;
    let keyBytes = B;
    let keyStart = start;
    let length = -1;
    for (;;) {
      if (i >= N) return false;
      const c = B[i]!;
      if (c === 0x22) break;
      if (c === 0x5c) {
        // An escape: the key is read again, decoded (JSON.parse compares keys with their escapes undone).
        length = escapedKey(B, N, start);
        if (length < 0) return false;
        h = escapedHash;
        i = escapedEnd;
        keyBytes = KEY;
        keyStart = 0;
        break;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        const next = utf8At(B, N, i);
        if (next < 0) return false;
        for (; i < next; i++) h = (Math.imul(h, 31) + B[i]!) | 0;
      } else {
        h = (Math.imul(h, 31) + c) | 0;
        i++;
      }
    }
    if (length < 0) length = i - start;
    P = i + 1;
    ws();
    if (P >= N || B[P] !== 0x3a) return false;
    P++;
    const p = keyed ? lookupKey(node, h, keyBytes, keyStart, length) : -1;
    let child: FastNode;
    let childCap = 0;
    if (p >= 0) {
      if (seen[p] === id) return false;
      seen[p] = id;
      required += node.required[p]!;
      child = node.propNodes[p]!;
      if (cap !== 0) childCap = captureOf(cap, p);
    } else {
      if (node.closed) return false;
      child = node.additional;
    }
    if (!value(child, depth + 1, childCap)) return false;
    ws();
    if (P >= N) return false;
    const d = B[P];
    if (d === 0x2c) {
      P++;
      ws();
    } else if (d === 0x7d) {
      P++;
      return required === node.requiredCount;
    } else return false;
  }
}

function array(node: FastNode, depth: number): boolean {
  P++;
  ws();
  if (P < N && B[P] === 0x5d) {
    P++;
    return true;
  }
  const items = node.items;
  for (;;) {
    if (!value(items, depth + 1, 0)) return false;
    ws();
    if (P >= N) return false;
    const d = B[P];
    if (d === 0x2c) P++;
    else if (d === 0x5d) {
      P++;
      return true;
    } else return false;
  }
}
