/** The `--summary` report (stderr): totals, throughput, top error paths and kinds. */
import type { ChalkInstance } from 'chalk';
import { type RunStats, topEntries } from '../core/stats.js';

export function formatSummary(tool: string, stats: RunStats, seconds: number, c: ChalkInstance): string {
  const rate = seconds > 0 ? Math.round(stats.read / seconds) : stats.read;
  const rows: [string, string][] = [
    ['lines read', String(stats.read)],
    ['valid', String(stats.valid)],
    ['invalid', String(stats.invalid)],
    ['blank', String(stats.blank)],
    ['bytes', String(stats.bytes)],
    ['seconds', seconds.toFixed(3)],
    ['lines/s', String(rate)],
  ];
  let out = `${c.bold(`${tool}: summary`)}\n`;
  for (const [k, v] of rows) out += `  ${k.padEnd(12)} ${v.padStart(12)}\n`;
  const paths = topEntries(stats.errorPaths, 10);
  if (paths.length > 0) {
    out += `  ${c.bold('top error paths')} (invalid lines)\n`;
    for (const [path, n] of paths) out += `  ${String(n).padStart(12)}  ${path}\n`;
  }
  const kinds = topEntries(stats.kinds, 10);
  if (kinds.length > 0) {
    out += `  ${c.bold('event kinds')} (evt.name)\n`;
    for (const [kind, n] of kinds) out += `  ${String(n).padStart(12)}  ${kind}\n`;
  }
  return out;
}
