/**
 * The SECL fields as `csm-schema secl` lists them: each Linux field with its type, event
 * type, and where the backend JSON holds it (direct), how it is computed (derived), or
 * why it cannot be read (unavailable), from the generated field table.
 */
import { AGENT_CONTEXT_FIELDS } from './agent-context.js';
import { SECL_FIELDS_LINUX, type FieldMapping, type JsonPath } from './fields.js';

export interface SeclFieldRow {
  field: string;
  /** `string`, `int`, `bool`, `ip`; `[]` after it for an array or iterator field. */
  type: string;
  /** The event types it applies to; `*` for every event. */
  event: string;
  kind: FieldMapping['kind'];
  /** Direct and derived: the JSON path, as csm-filter --field/--where write it. */
  json?: string;
  /** Derived: how the value is computed from `json` (`flags`, `time`, `join-args`...). */
  derivation?: string;
  /** Unavailable: why. */
  reason?: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `process.ancestors[*].executable.name`, `mount["mountpoint.path"]`: csm-filter's path syntax. */
export function jsonPathText(path: JsonPath): string {
  let out = '';
  for (const seg of path) {
    if (seg === '[]') out += '[*]';
    else if (IDENT.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function row(field: string): SeclFieldRow {
  const spec = SECL_FIELDS_LINUX[field]!;
  const many = spec.array === true || spec.iterator === true;
  const r: SeclFieldRow = {
    field,
    type: `${spec.type}${many ? '[]' : ''}`,
    event: spec.event === undefined ? '*' : [spec.event].flat().join(','),
    kind: spec.map.kind,
  };
  const m = spec.map;
  const ctx = Object.prototype.hasOwnProperty.call(AGENT_CONTEXT_FIELDS, field) ? AGENT_CONTEXT_FIELDS[field] : undefined;
  if (ctx !== undefined) return { ...r, kind: 'derived', json: jsonPathText(ctx.path), derivation: `agent context, "${ctx.value}" where absent` };
  if (m.kind === 'unavailable') r.reason = m.reason;
  else r.json = jsonPathText(m.path);
  if (m.kind === 'derived') r.derivation = m.of !== undefined ? `${m.derivation} of ${m.of}` : m.table !== undefined ? `${m.derivation} (${m.docTable ?? m.table})` : m.derivation;
  return r;
}

/** The fields whose name starts with `prefix`, sorted by name. */
export function seclFieldRows(prefix = ''): SeclFieldRow[] {
  return Object.keys(SECL_FIELDS_LINUX)
    .filter((f) => f.startsWith(prefix))
    .sort()
    .map(row);
}

/** Every SECL field name (completion, suggestions). */
export function seclFieldNames(): string[] {
  return Object.keys(SECL_FIELDS_LINUX).sort();
}
