/**
 * The run summary: `--summary` renders it for people (stderr), `--summary-json`
 * writes the same numbers as one JSON object (full maps, so that summaries of
 * several runs merge exactly by adding).
 */
import type { ChalkInstance } from 'chalk';
import { escapeAndTruncate, escapedWidth, jsonForTerminal } from '../core/escape.js';
import { type RunStats, topEntries } from '../core/stats.js';
import { MAX_DISTINCT, OTHER } from '../core/tally.js';

export interface SummaryData {
  tool: string;
  read: number;
  /** csm-validate: the valid lines. */
  valid?: number;
  /** csm-filter: the lines that parsed as JSON (it validates only with --validate, and only what it selected). */
  parsed?: number;
  invalid: number;
  blank: number;
  /** csm-filter only. */
  selected?: number;
  /**
   * csm-filter with --since/--until: events left out because the time field
   * held no valid RFC 3339 date-time (missing, null, invalid); not in `selected`.
   */
  withoutTime?: number;
  bytes: number;
  seconds: number;
  linesPerSecond: number;
  megabytesPerSecond: number;
  /** Errors of invalid lines beyond the per-line cap (listed in no report, not in errorPaths); only when some were. */
  errorsOmitted?: number;
  /** Invalid lines by error path and keyword (every one, not only the top; at most MAX_DISTINCT, then `(other)`). */
  errorPaths: Record<string, number>;
  /** Lines by evt.name: every line (csm-validate), the selected events (csm-filter). */
  kinds: Record<string, number>;
  /** Event lines by the schema that judged them (csm-validate, csm-filter --validate; --schema auto picks per event). */
  schemas?: Record<string, number>;
  /** Agent custom events (ruleset_loaded, heartbeat, ...) by rule id, apart from `kinds` (csm-filter: the selected ones). */
  custom?: Record<string, number>;
  /** Lines with tolerated problems (--allow-unknown-keys, --ignore), and those problems by path (keyword). */
  warnings?: number;
  warningPaths?: Record<string, number>;
  /** The run was cut short by this signal: the counts are of what was read until then. */
  interrupted?: 'SIGINT' | 'SIGTERM';
}

export function summaryData(
  tool: string,
  stats: RunStats,
  seconds: number,
  interrupted?: 'SIGINT' | 'SIGTERM',
): SummaryData {
  // A selecting tool counts what it parsed and selected; a validating one what was valid.
  const filter = stats.kindsOf === 'selected';
  const data: SummaryData = {
    tool,
    read: stats.read,
    ...(filter ? { parsed: stats.valid } : { valid: stats.valid }),
    invalid: stats.invalid,
    blank: stats.blank,
    ...(filter ? { selected: stats.selected } : {}),
    ...(filter && (stats.timeWindow || stats.untimed > 0) ? { withoutTime: stats.untimed } : {}),
    bytes: stats.bytes,
    seconds: Number(seconds.toFixed(3)),
    linesPerSecond: seconds > 0 ? Math.round(stats.read / seconds) : stats.read,
    megabytesPerSecond: seconds > 0 ? Number((stats.bytes / 1e6 / seconds).toFixed(1)) : 0,
    errorPaths: Object.fromEntries(topEntries(stats.errorPaths, Infinity)),
    kinds: Object.fromEntries(topEntries(stats.kinds, Infinity)),
  };
  if (stats.errorsOmitted > 0) data.errorsOmitted = stats.errorsOmitted;
  if (stats.schemas.size > 0) data.schemas = Object.fromEntries(topEntries(stats.schemas, Infinity));
  if (stats.custom.size > 0) data.custom = Object.fromEntries(topEntries(stats.custom, Infinity));
  if (stats.warningLines > 0) {
    data.warnings = stats.warningLines;
    data.warningPaths = Object.fromEntries(topEntries(stats.warningPaths, Infinity));
  }
  if (interrupted !== undefined) data.interrupted = interrupted;
  return data;
}

export function formatSummaryJson(data: SummaryData): string {
  return jsonForTerminal(JSON.stringify(data)) + '\n';
}

const BAR_WIDTH = 28;
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar of `value / max` of BAR_WIDTH cells, in eighths of a cell. */
export function bar(value: number, max: number, width = BAR_WIDTH): string {
  if (max <= 0 || value <= 0) return '';
  const eighths = Math.max(1, Math.round((value / max) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}


function chart(title: string, entries: [string, number][], c: ChalkInstance): string {
  if (entries.length === 0) return '';
  const max = Math.max(...entries.map(([, n]) => n));
  // Labels are data (kinds, keys): escaped first, then cut, so a cut never falls inside an escape.
  const labelWidth = Math.min(48, Math.max(...entries.map(([k]) => escapedWidth(k))));
  const countWidth = Math.max(...entries.map(([, n]) => String(n).length));
  let out = `  ${c.bold(title)}\n`;
  for (const [label, n] of entries) {
    const shown = escapeAndTruncate(label, labelWidth);
    out += `    ${shown}${' '.repeat(Math.max(0, labelWidth - Array.from(shown).length))}  ${String(n).padStart(countWidth)}  ${c.cyan(bar(n, max))}\n`;
  }
  return out;
}

/**
 * The top 10 entries of a (sorted) summary map; the `(other)` entry, when the
 * map reached its cap, always shows, named for what it holds.
 */
function topWithOther(map: Record<string, number>): [string, number][] {
  const top = Object.entries(map).filter(([k]) => k !== OTHER).slice(0, 10);
  const other = map[OTHER];
  if (other !== undefined) top.push([`${OTHER}: beyond ${MAX_DISTINCT - 1} distinct`, other]);
  return top;
}

export function formatSummary(data: SummaryData, c: ChalkInstance): string {
  // Plain numbers, one `label value` per line: easy to read and to awk.
  const rows: [string, string][] = [
    ['lines read', String(data.read)],
    data.parsed !== undefined ? ['parsed', String(data.parsed)] : ['valid', String(data.valid)],
    ['invalid', String(data.invalid)],
    ['blank', String(data.blank)],
  ];
  if (data.selected !== undefined) rows.push(['selected', String(data.selected)]);
  if (data.withoutTime !== undefined) rows.push(['without time', String(data.withoutTime)]);
  if (data.errorsOmitted !== undefined) rows.push(['errors unlisted', String(data.errorsOmitted)]);
  if (data.warnings !== undefined) rows.push(['warnings', String(data.warnings)]);
  if (data.custom !== undefined) rows.push(['agent events', String(Object.values(data.custom).reduce((a, b) => a + b, 0))]);
  rows.push(
    ['bytes', String(data.bytes)],
    ['seconds', data.seconds.toFixed(3)],
    ['lines/s', String(data.linesPerSecond)],
    ['MB/s', data.megabytesPerSecond.toFixed(1)],
  );
  const partial = data.interrupted !== undefined ? ` (partial: interrupted by ${data.interrupted})` : '';
  let out = `${c.bold(`${data.tool}: summary${partial}`)}\n`;
  for (const [k, v] of rows) out += `  ${k.padEnd(12)} ${v.padStart(12)}\n`;
  const kindsTitle = data.parsed !== undefined ? 'selected events by kind (evt.name), top 10' : 'event kinds (evt.name), top 10';
  out += chart(kindsTitle, topWithOther(data.kinds), c);
  out += chart('invalid lines by error path (keyword), top 10', topWithOther(data.errorPaths), c);
  out += chart('lines by schema', Object.entries(data.schemas ?? {}), c);
  out += chart('agent custom events (agent.rule_id), not judged as CSM events', Object.entries(data.custom ?? {}).slice(0, 10), c);
  out += chart('lines with warnings by path (keyword), top 10', topWithOther(data.warningPaths ?? {}), c);
  return out;
}
