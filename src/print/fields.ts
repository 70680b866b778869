/**
 * Projected events in, output lines out: `--format ndjson|tsv|csv|raw`, and
 * `--flat`. Numbers are written as they were read (JsonNumber keeps the text).
 */
import { UNSAFE_UNITS, escapeUnit, jsonForTerminal } from '../core/escape.js';
import { type JsonValue, stringifyJson } from '../core/json.js';
import type { Projector } from '../core/project.js';

export type FieldFormat = 'ndjson' | 'tsv' | 'csv' | 'raw';
export const FIELD_FORMATS: readonly FieldFormat[] = ['ndjson', 'tsv', 'csv', 'raw'];

/** A cell: strings as they are, everything else as compact JSON, missing as "". */
function cellText(value: JsonValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return stringifyJson(value);
}

/**
 * TSV cell: backslash, tab, newline and CR escaped (as jq's @tsv does), and every
 * other character a terminal obeys (ESC, C1, bidi controls...) as `\x1b` or
 * `\u202e` (src/core/escape.ts): a backslash is always doubled here, so it reads back.
 */
export function tsvCell(value: JsonValue | undefined): string {
  return cellText(value)
    .replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    .replace(UNSAFE_UNITS, (c) => escapeUnit(c.charCodeAt(0)));
}

/** CSV cell per RFC 4180: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvCell(value: JsonValue | undefined): string {
  const text = cellText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface FieldPrinter {
  /** Printed once before the first record (a header), or "". */
  header(): string;
  /** The output for one selected event ("" when there is nothing to print); `envelope` for `$` fields. */
  record(event: JsonValue, envelope?: JsonValue): string;
}

export function fieldPrinter(
  projector: Projector,
  options: { format: FieldFormat; flat: boolean; header: boolean },
): FieldPrinter {
  const names = projector.names;
  switch (options.format) {
    case 'ndjson':
      if (options.flat) {
        return {
          header: () => '',
          record(event, envelope) {
            const cols = projector.columns(event, envelope);
            const out: { [key: string]: JsonValue } = {};
            cols.forEach((v, i) => {
              if (v !== undefined) {
                Object.defineProperty(out, names[i]!, { value: v, enumerable: true, writable: true, configurable: true });
              }
            });
            return jsonForTerminal(stringifyJson(out)) + '\n';
          },
        };
      }
      // JSON escapes for what a terminal obeys (C1, bidi controls...) too: the same value.
      return { header: () => '', record: (event, envelope) => jsonForTerminal(stringifyJson(projector.nested(event, envelope))) + '\n' };
    case 'tsv':
      return {
        header: () => (options.header ? names.map((n) => tsvCell(n)).join('\t') + '\n' : ''),
        record: (event, envelope) => projector.columns(event, envelope).map(tsvCell).join('\t') + '\n',
      };
    case 'csv':
      // RFC 4180: records end with CRLF.
      return {
        header: () => (options.header ? names.map((n) => csvCell(n)).join(',') + '\r\n' : ''),
        record: (event, envelope) => projector.columns(event, envelope).map(csvCell).join(',') + '\r\n',
      };
    case 'raw':
      // Like `jq -r`: each value reached on its own line, strings unquoted.
      return {
        header: () => '',
        record(event, envelope) {
          const v = projector.columns(event, envelope)[0];
          if (v === undefined) return '';
          const values = projector.paths[0]!.segments.some((s) => s.kind === 'wildcard') ? (v as JsonValue[]) : [v];
          let out = '';
          for (const x of values) out += cellText(x) + '\n';
          return out;
        },
      };
  }
}
