/**
 * The envelope of an event: the reserved attributes of the archive or API
 * record it was cut from (host, service, status, tags, date, _id, ...), which
 * `--where` and `--field` read as `$host`, `$tags`, `$date`.
 *
 * The `$` keeps them apart from the event's own fields (a path of the event
 * starts with a letter or `_`), as Datadog's search keeps reserved attributes
 * apart from `@event.attributes`; `$host` is also how Datadog writes a
 * template variable. One view for both record kinds, with the names of each:
 *
 *     archive  {"_id","date","host","service","source","status","message","tags",...,"attributes":EVENT}
 *     api      {"id","type","attributes":{"timestamp","host","service","status","message","tags",...,"attributes":EVENT}}
 *
 * `$_id` and `$id` are the record's id in both, `$date` and `$timestamp` its time.
 */
import type { Line } from '../lines.js';
import { type JsonValue, needsLossless, parseLossless } from '../json.js';
import { isJsonObject } from '../json/value.js';
import type { Path } from '../path.js';
import { type SchemaIndex, buildSchemaIndex } from '../schema-index/graph.js';
import { type ResolveResult, resolvePath } from '../schema-index/resolve.js';

/** The envelope's fields as a schema: names, types and descriptions, so paths, types and date-times are checked like the event's. */
const ENVELOPE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    _id: { type: 'string', description: 'Record id (archive "_id", API "id")' },
    id: { type: 'string', description: 'Record id (archive "_id", API "id")' },
    date: { type: 'string', format: 'date-time', description: 'Record time (archive "date", API "attributes.timestamp")' },
    timestamp: { type: 'string', format: 'date-time', description: 'Record time (archive "date", API "attributes.timestamp")' },
    host: { type: 'string', description: 'Host (reserved attribute)' },
    service: { type: 'string', description: 'Service (reserved attribute)' },
    source: { type: 'string', description: 'Source (reserved attribute)' },
    status: { type: 'string', description: 'Status (reserved attribute)' },
    message: { type: 'string', description: 'Message (reserved attribute)' },
    tags: { type: 'array', items: { type: 'string' }, description: 'Tags, "key:value"' },
    type: { type: 'string', description: 'Record type (API: "log", "signal")' },
  },
} as const;

export const ENVELOPE_FIELDS: readonly string[] = Object.keys(ENVELOPE_SCHEMA.properties);

let index: SchemaIndex | undefined;
function envelopeIndex(): SchemaIndex {
  return (index ??= buildSchemaIndex(ENVELOPE_SCHEMA));
}

/** An envelope path (`$host`) against the envelope's fields: unknown ones get a "did you mean" with their `$`. */
export function resolveEnvelopePath(path: Path): ResolveResult {
  const r = resolvePath(envelopeIndex(), path);
  if (!r.ok) {
    const e = r.error;
    const message = e.code === 'unknown-field' ? `${e.message.replace(/^unknown field '(?!\$)/, "unknown field '$")} (the envelope has ${ENVELOPE_FIELDS.map((f) => `$${f}`).join(', ')})` : e.message;
    return { ok: false, error: { ...e, message: message.replace(/did you mean '(?!\$)/, "did you mean '$"), ...(e.suggestion !== undefined ? { suggestion: `$${e.suggestion}` } : {}) } };
  }
  return { ...r, path: { ...r.path, envelope: true } };
}

function define(out: { [key: string]: JsonValue }, key: string, value: JsonValue | undefined): void {
  if (value !== undefined && !Object.hasOwn(out, key)) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The members of `record` but `attributes`, into `out`. */
function copyBut(out: { [key: string]: JsonValue }, record: { [key: string]: JsonValue }): void {
  for (const key of Object.keys(record)) if (key !== 'attributes') define(out, key, record[key]);
}

/**
 * The envelope of a line cut out of a record, with exact numbers; undefined
 * for a bare event (or a record that is not JSON: the event is judged anyway).
 */
export function envelopeOf(line: Line): JsonValue | undefined {
  if (line.record === undefined || line.envelope === undefined) return undefined;
  let record: JsonValue;
  try {
    const text = line.record.toString('utf8');
    record = needsLossless(text) ? parseLossless(text) : (JSON.parse(text) as JsonValue);
  } catch {
    return undefined;
  }
  if (!isJsonObject(record)) return undefined;
  const out: { [key: string]: JsonValue } = {};
  if (line.envelope === 'archive') {
    copyBut(out, record);
    define(out, 'id', record._id);
    define(out, 'timestamp', record.date);
  } else {
    define(out, 'id', record.id);
    define(out, 'type', record.type);
    if (isJsonObject(record.attributes)) copyBut(out, record.attributes);
    define(out, '_id', record.id);
    define(out, 'date', out.timestamp);
  }
  return out;
}
