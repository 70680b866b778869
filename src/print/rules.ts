/**
 * csm-rules output: the check table, the match sinks (events, with their rule ids as a
 * TSV column or in an NDJSON record), the diff sink and the per-rule stats.
 */
import type { ChalkInstance } from 'chalk';
import type { Line } from '../core/lines.js';
import { renderPolicyError, type PolicyError } from '../rules/index.js';
import type { Sink, Writer } from './sinks.js';

/** One policy error: `file:line:col: message`, the line, a caret (red when coloured). */
export function formatPolicyError(e: PolicyError, chalk: ChalkInstance): string {
  const r = renderPolicyError(e);
  return `${r.head}\n${r.source}\n${chalk.red.bold(r.caret)}`;
}

/** Aligned columns, two spaces apart; the last column is not padded. */
export function alignColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return rows
    .map((row) => row.map((c, i) => (i === row.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length))).join('  ').trimEnd() + '\n')
    .join('');
}

/** A TSV cell: tab, CR, LF and backslash escaped as `\t`, `\r`, `\n`, `\\`. */
export function tsv(text: string): string {
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/**
 * An event line as a TSV cell that is still the same JSON: a raw tab or CR can only be
 * whitespace between JSON tokens (never inside a string), and becomes a space.
 */
function eventCell(line: Line): string {
  return line.bytes.toString('utf8').replace(/[\t\r]/g, ' ');
}

export type MatchFormat = 'lines' | 'tsv' | 'ndjson';

/** The events some rule matched, in `format`; ids are the verdict's output (`a,b`). */
export function matchSink(out: Writer, format: MatchFormat, header: boolean): Sink {
  let headerDone = !header || format !== 'tsv';
  return {
    take(file, line, verdict) {
      if (verdict.status !== 'selected' || line.tooLong === true) return;
      const ids = verdict.output ?? '';
      if (format === 'lines') {
        out.write(line.bytes);
        out.write('\n');
      } else if (format === 'tsv') {
        if (!headerDone) {
          headerDone = true;
          out.write('rules\tfile\tline\tevent\n');
        }
        out.write(`${ids}\t${tsv(file)}\t${line.line}\t${eventCell(line)}\n`);
      } else {
        const rules = JSON.stringify(ids === '' ? [] : ids.split(','));
        out.write(`{"rules":${rules},"file":${JSON.stringify(file)},"line":${line.line},"event":`);
        out.write(line.bytes);
        out.write('}\n');
      }
    },
    finish() {
      if (!headerDone) out.write('rules\tfile\tline\tevent\n');
    },
  };
}

/** Per rule id, the events only OLD matched and only NEW matched. */
export interface DiffCounts {
  counts: Map<string, { old: number; new: number }>;
}

/** csm-rules diff: `-RULE<TAB>event` / `+RULE<TAB>event` with `show`, and the counts at the end. */
export function diffSink(out: Writer, show: boolean, counts: DiffCounts): Sink {
  const bump = (id: string, side: 'old' | 'new'): void => {
    const c = counts.counts.get(id) ?? { old: 0, new: 0 };
    c[side]++;
    counts.counts.set(id, c);
  };
  return {
    take(_file, line, verdict) {
      if (verdict.status !== 'selected') return;
      const [oldOnly = '', newOnly = ''] = (verdict.output ?? '').split('|');
      for (const [side, ids, sign] of [['old', oldOnly, '-'], ['new', newOnly, '+']] as const) {
        for (const id of ids === '' ? [] : ids.split(',')) {
          bump(id, side);
          if (show && line.tooLong !== true) {
            out.write(`${sign}${id}\t`);
            out.write(line.bytes);
            out.write('\n');
          }
        }
      }
    },
    finish() {
      if (counts.counts.size === 0) return;
      const ids = [...counts.counts.keys()].sort();
      out.write(`rule\told_only\tnew_only\n${ids.map((id) => `${id}\t${counts.counts.get(id)!.old}\t${counts.counts.get(id)!.new}\n`).join('')}`);
    },
  };
}
