/**
 * `--count-by` output: the sink counts each selected event's group keys (the
 * verdict's output, computed by core/count-by.ts) and, at the end, prints the
 * ranked groups as aligned text (with a bar chart when stdout is a TTY), TSV,
 * CSV or NDJSON.
 *
 * Cells: a string as it is, other values as JSON (numbers canonical: `1.0` is
 * `1`), a missing value as `(missing)` in text and an empty cell in TSV/CSV
 * (left out of the ndjson `key`). A string that could be mistaken for another
 * value (`""`, `1`, `true`, `null`, `(missing)`, one starting with `"`, `[`
 * or `{`, with spaces around it, ending in `…`) is written as its JSON string;
 * so is, in text, a string holding a character a terminal would act on or hide
 * (controls, bidi overrides: written as `\u` and four hex digits). A cut value ends in `…`.
 */
import { type Group, GroupCounts, type GroupValue, MAX_TUPLES_PER_EVENT, rankGroups } from '../core/count-by.js';
import { type JsonValue, stringifyJson } from '../core/json.js';
import { escapeText, jsonForTerminal } from '../core/escape.js';
import { csvCell, tsvCell } from './fields.js';
import type { Sink, Writer } from './sinks.js';
import { bar } from './summary.js';
import { COUNT_FORMATS } from '../core/count-by-limits.js';

export { COUNT_FORMATS };
export type CountFormat = (typeof COUNT_FORMATS)[number];

export interface CountByPrint {
  format: CountFormat;
  /** The paths' names (header, ndjson keys). */
  names: readonly string[];
  header: boolean;
  rare: boolean;
  top?: number;
  maxGroups: number;
  /** stdout is a terminal: text gets a bar chart. */
  tty: boolean;
}

const ELLIPSIS = '…';
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/** True for a string that, written as it is, would read as another value or as a cut one. */
function ambiguous(s: string): boolean {
  if (s === '' || s === 'true' || s === 'false' || s === 'null' || s === '(missing)') return true;
  if (JSON_NUMBER.test(s) || /^["[{]/.test(s) || s.endsWith(ELLIPSIS)) return true;
  return s.trim() !== s;
}

/** Characters a terminal would act on or that hide text (core/escape.ts): such a string is shown as JSON. */
function hasUnsafe(s: string): boolean {
  return escapeText(s) !== s;
}

/** A value as a cell of text (`forTerminal`: escaped for a terminal) or of TSV/CSV. */
function cellText(g: GroupValue, forTerminal: boolean): string {
  if (g.missing) return forTerminal ? '(missing)' : '';
  const v = g.value;
  let text: string;
  if (typeof v === 'string') {
    text = ambiguous(v) || (forTerminal && hasUnsafe(v)) ? JSON.stringify(v) : v;
    if (g.cut && text !== v) text = text.slice(0, -1); // the cut JSON string stays open: it goes on
  } else text = stringifyJson(v);
  if (forTerminal) text = jsonForTerminal(text);
  return g.cut ? text + ELLIPSIS : text;
}

function ndjsonRow(group: Group, names: readonly string[]): string {
  const key: { [k: string]: JsonValue } = {};
  const cut: string[] = [];
  group.values.forEach((g, i) => {
    if (g.missing) return;
    Object.defineProperty(key, names[i]!, { value: g.value, enumerable: true, writable: true, configurable: true });
    if (g.cut) cut.push(names[i]!);
  });
  const row: { [k: string]: JsonValue } = { key, count: group.count };
  if (cut.length > 0) row.cut = cut;
  return stringifyJson(row) + '\n';
}

const PAD_MAX = 60;
const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

function textTable(groups: Group[], options: CountByPrint): string {
  const rows = groups.map((g) => ({ count: String(g.count), cells: g.values.map((v) => cellText(v, true)), n: g.count }));
  const head = { count: 'COUNT', cells: options.names.map(escapeText) };
  const all = options.header ? [head, ...rows] : rows;
  const countWidth = Math.max(0, ...all.map((r) => r.count.length));
  const widths = options.names.map((_, i) => Math.min(PAD_MAX, Math.max(0, ...all.map((r) => codePoints(r.cells[i]!)))));
  const max = Math.max(0, ...groups.map((g) => g.count));
  const line = (count: string, cells: string[], n?: number): string => {
    const last = cells.length - 1;
    const padded = cells.map((c, i) => (i < last || options.tty ? c + ' '.repeat(Math.max(0, widths[i]! - codePoints(c))) : c));
    const chart = options.tty && n !== undefined ? `  ${bar(n, max)}` : '';
    return `${count.padStart(countWidth)}  ${padded.join('  ')}${chart}`.trimEnd() + '\n';
  };
  let out = options.header ? line(head.count, head.cells) : '';
  for (const r of rows) out += line(r.count, r.cells, r.n);
  return out;
}

/** The groups printed in the chosen format. */
export function formatGroups(groups: Group[], options: CountByPrint): string {
  const names = options.names;
  switch (options.format) {
    case 'text':
      return textTable(groups, options);
    case 'ndjson':
      return groups.map((g) => ndjsonRow(g, names)).join('');
    case 'tsv': {
      const head = options.header ? ['count', ...names].map((n) => tsvCell(n)).join('\t') + '\n' : '';
      return head + groups.map((g) => [String(g.count), ...g.values.map((v) => tsvCell(cellText(v, false)))].join('\t') + '\n').join('');
    }
    case 'csv': {
      const head = options.header ? ['count', ...names].map((n) => csvCell(n)).join(',') + '\r\n' : '';
      return head + groups.map((g) => [String(g.count), ...g.values.map((v) => csvCell(cellText(v, false)))].join(',') + '\r\n').join('');
    }
  }
}

/** Why a result is incomplete, for stderr; undefined when it is complete. */
export function incompleteMessage(counts: GroupCounts): string | undefined {
  const parts: string[] = [];
  if (counts.leftOut > 0) {
    parts.push(
      `more than ${counts.maxGroups} distinct groups: ${counts.leftOut} value(s) of further groups were not counted (raise --max-groups)`,
    );
  }
  if (counts.tooManyTuples > 0) {
    parts.push(`${counts.tooManyTuples} event(s) gave more than ${MAX_TUPLES_PER_EVENT} values or combinations: only the first ${MAX_TUPLES_PER_EVENT} of each were counted`);
  }
  return parts.length === 0 ? undefined : `--count-by: the result is incomplete: ${parts.join('; ')}`;
}

/**
 * `--count-by`: counts the keys of each selected event (its verdict's output)
 * and prints the groups at the end; `warn` gets the reason a result is incomplete.
 */
export function countBySink(out: Writer, options: CountByPrint, warn: (message: string) => void): Sink {
  const counts = new GroupCounts(options.maxGroups);
  return {
    take(_file, _line, verdict) {
      if (verdict.status === 'selected' && verdict.output !== undefined) counts.add(verdict.output);
    },
    finish() {
      const groups = rankGroups(counts, { rare: options.rare, ...(options.top !== undefined ? { top: options.top } : {}) });
      out.write(formatGroups(groups, options));
      const why = incompleteMessage(counts);
      if (why !== undefined) warn(why);
    },
  };
}
