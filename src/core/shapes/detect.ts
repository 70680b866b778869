/**
 * The input shapes and how the first value of an input tells them apart.
 *
 * - `ndjson`: one bare event per line (the default when nothing else fits);
 * - `archive`: Datadog Log Archives, one log record per line, the event under
 *   `attributes` (`{"_id","date","host","service","status","message","attributes":{EVENT},"tags":[...]}`);
 * - `api`: Datadog Logs API / Security Signals API responses, one page or
 *   several one after another (`{"data":[{"id","type","attributes":{"attributes":{EVENT},...}}],...}`);
 * - `json`: a JSON array of events, or events one after another, pretty-printed.
 */
import { isJsonObject } from '../json/value.js';
import { isJsonSpace, objectMembers, rawKey } from './scan.js';

export type InputShape = 'ndjson' | 'archive' | 'api' | 'json';
export const INPUT_SHAPES: readonly InputShape[] = ['ndjson', 'archive', 'api', 'json'];

/** The keys of an archive record besides `attributes` (Datadog's reserved attributes and `tags`). */
export const ARCHIVE_KEYS = ['_id', 'date', 'host', 'service', 'source', 'status', 'message', 'tags'] as const;

/** What the announcement on stderr says of each shape. */
export function describeShape(shape: InputShape, array = false): string {
  switch (shape) {
    case 'ndjson':
      return 'NDJSON, one event per line';
    case 'archive':
      return 'Datadog log archive (events under "attributes")';
    case 'api':
      return 'Datadog API response (events under "data[].attributes.attributes")';
    case 'json':
      return array ? 'JSON array of events' : 'JSON events one after another (pretty-printed)';
  }
}

/** A parsed value that is an archive record: an `attributes` object, no `evt`, and a reserved attribute. */
export function isArchiveRecord(value: unknown): boolean {
  if (!isJsonObject(value) || Object.hasOwn(value, 'evt') || !isJsonObject(value.attributes)) return false;
  return ARCHIVE_KEYS.some((k) => Object.hasOwn(value, k));
}

/** A parsed value that is an API page: a `data` list and no `evt`. */
export function isApiPage(value: unknown): boolean {
  return isJsonObject(value) && !Object.hasOwn(value, 'evt') && Array.isArray(value.data);
}

const ATTRIBUTES = rawKey('attributes');
const ATTRIBUTES_TEXT = Buffer.from('"attributes"');
const RECORD_KEYS = [ATTRIBUTES, rawKey('evt'), ...ARCHIVE_KEYS.map(rawKey)];

/**
 * The same test on bytes, for every line or element of an input read as bare
 * events: true when it is an archive record (a file whose lines switch
 * shape). Fast for events: only a text holding `"attributes"` is looked into.
 */
export function looksLikeArchiveRecord(bytes: Buffer): boolean {
  if (bytes.indexOf(ATTRIBUTES_TEXT) < 0) return false;
  const found = objectMembers(bytes, RECORD_KEYS);
  if (found === undefined) return false;
  const attributes = found[0];
  if (attributes === undefined || bytes[attributes.start] !== 0x7b || found[1] !== undefined) return false;
  return found.slice(2).some((s) => s !== undefined);
}

/** An API page that starts `{"data":[`: known before the page ends (a page can be large). */
const API_START = /^\{\s*"data"\s*:\s*\[/;

/** What the first bytes of an input say before its first value is complete (undefined: read on). */
export function shapeFromStart(head: Buffer): { shape: InputShape; array?: true } | undefined {
  let i = 0;
  while (i < head.length && isJsonSpace(head[i])) i++;
  if (i === head.length) return undefined;
  if (head[i] === 0x5b) {
    // An array of events (objects); `[1]` or `[]` is rather an NDJSON line that is not an event.
    let j = i + 1;
    while (j < head.length && isJsonSpace(head[j])) j++;
    if (j === head.length) return undefined;
    return head[j] === 0x7b ? { shape: 'json', array: true } : { shape: 'ndjson' };
  }
  if (head[i] !== 0x7b) return { shape: 'ndjson' };
  const text = head.subarray(i, i + 64).toString('latin1');
  if (API_START.test(text)) return { shape: 'api' };
  return undefined;
}

/**
 * The shape of an input from its first value (compacted), and whether it sat
 * on one line. A value that is not JSON, or not an object: `ndjson` (read line
 * by line, each bad line is reported as it is today).
 */
export function shapeFromFirstValue(bytes: Buffer, oneLine: boolean): InputShape {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return 'ndjson';
  }
  if (isApiPage(value)) return 'api';
  if (!isJsonObject(value)) return 'ndjson';
  if (oneLine) return isArchiveRecord(value) ? 'archive' : 'ndjson';
  return 'json';
}
