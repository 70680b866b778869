/**
 * Serialisation of JSON values, JsonNumber included.
 */
import { JsonNumber, type JsonObject, type JsonValue } from './value.js';

/** An array or object being written. */
interface WriteFrame {
  readonly array: JsonValue[] | null;
  readonly object: JsonObject | null;
  readonly keys: string[];
  /** Next element index / next key index. */
  index: number;
  /** Members written so far (objects skip undefined values). */
  written: number;
}

/**
 * Compact JSON text, like JSON.stringify(value), except that a JsonNumber is
 * written as its raw text. Keys are written in the object's own enumerable
 * key order (insertion order, integer-like keys first: the same as
 * JSON.stringify); strings are written by JSON.stringify (well-formed: lone
 * surrogates escaped). Iterative: any nesting depth is fine.
 * As in JSON.stringify, non-finite numbers are written as null, undefined
 * array elements as null, and undefined object members are skipped.
 * @throws TypeError on a circular structure or when `value` itself is undefined.
 */
export function stringifyJson(value: JsonValue): string {
  if (value === undefined) throw new TypeError('cannot serialise undefined as JSON');
  const stack: WriteFrame[] = [];
  const open = new Set<object>();
  let out = '';
  let next: JsonValue = value;
  for (;;) {
    // Write `next`: a scalar entirely, a container only its opening bracket.
    if (typeof next === 'object' && next !== null && !(next instanceof JsonNumber)) {
      if (open.has(next)) throw new TypeError('cannot serialise a circular structure as JSON');
      open.add(next);
      if (Array.isArray(next)) {
        stack.push({ array: next, object: null, keys: [], index: 0, written: 0 });
        out += '[';
      } else {
        stack.push({ array: null, object: next, keys: Object.keys(next), index: 0, written: 0 });
        out += '{';
      }
    } else {
      out += scalarText(next);
    }
    // Find the next value to write, closing finished containers.
    for (;;) {
      const frame = stack.length === 0 ? undefined : stack[stack.length - 1];
      if (frame === undefined) return out;
      const found = advance(frame);
      if (found !== undefined) {
        out += found.prefix;
        next = found.value;
        break;
      }
      out += frame.array !== null ? ']' : '}';
      open.delete((frame.array ?? frame.object) as object);
      stack.pop();
    }
  }
}

/** The next element or member of a container being written, with its separator and key. */
function advance(frame: WriteFrame): { prefix: string; value: JsonValue } | undefined {
  if (frame.array !== null) {
    if (frame.index >= frame.array.length) return undefined;
    const index = frame.index++;
    const element: JsonValue | undefined = frame.array[index];
    return { prefix: index === 0 ? '' : ',', value: element === undefined ? null : element };
  }
  const object = frame.object as JsonObject;
  while (frame.index < frame.keys.length) {
    const key = frame.keys[frame.index++];
    const member: JsonValue | undefined = object[key];
    if (member === undefined) continue;
    const prefix = (frame.written++ === 0 ? '' : ',') + JSON.stringify(key) + ':';
    return { prefix, value: member };
  }
  return undefined;
}

/** Text of a non-container value. */
function scalarText(value: JsonValue): string {
  if (value === null) return 'null';
  if (value instanceof JsonNumber) return value.raw;
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      throw new TypeError(`cannot serialise a ${typeof value} as JSON`);
  }
}
