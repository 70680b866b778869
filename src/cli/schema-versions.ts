/**
 * `csm-schema versions` (the bundled schemas: date, `$defs`, provenance, the
 * agent releases each judges) and `csm-schema diff A B` (core/schema-diff.ts,
 * printed). A and B are bundled names or schema files, read as `--schema` reads them.
 */
import type { ChalkInstance } from 'chalk';
import { type ObjectChange, type SchemaDiff, diffSchemas, isEmptyDiff } from '../core/schema-diff.js';
import { releaseRange } from '../core/schema-choice.js';
import { bundledSchemaNamed, readCatalog, staticSchema } from '../io/catalog.js';
import { tsvCell } from '../print/fields.js';

export interface VersionRow {
  name: string;
  os: string;
  date: string;
  defs: number;
  agents: string;
  file: string;
  upstream: string;
}

export function versionRows(): VersionRow[] {
  const catalog = readCatalog();
  return catalog.schemas.map((s) => ({
    name: s.name,
    os: s.os,
    date: s.date,
    defs: Object.keys((bundledSchemaNamed(s.name).$defs as object | undefined) ?? {}).length,
    agents: releaseRange(s.name, catalog),
    file: `schema/${s.file}`,
    upstream: `DataDog/datadog-agent ${s.upstreamPath} @ ${s.commit.slice(0, 10)}`,
  }));
}

/** The versions table: aligned text, TSV, or one JSON object per schema. */
export function formatVersions(format: string, header: boolean, c: ChalkInstance): string {
  const rows = versionRows();
  if (format === 'json') return rows.map((r) => JSON.stringify(r) + '\n').join('');
  const columns = ['name', 'os', 'date', 'defs', 'agents', 'upstream'] as const;
  const cells = rows.map((r) => columns.map((k) => String(r[k])));
  if (format === 'tsv') {
    return (header ? columns.join('\t') + '\n' : '') + cells.map((r) => r.map(tsvCell).join('\t') + '\n').join('');
  }
  const all = header ? [columns.map((h) => h.toUpperCase()), ...cells] : cells;
  const widths = columns.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[], head: boolean): string =>
    r
      .map((cell, i) => {
        const padded = i < r.length - 1 ? cell.padEnd(widths[i]!) : cell;
        return head ? c.bold(padded) : i === 0 ? c.cyan(padded) : padded;
      })
      .join('  ')
      .trimEnd() + '\n';
  const sources = readCatalog().releaseSources.map((s) => `  - ${s}\n`).join('');
  return (
    all.map((r, i) => line(r, header && i === 0)).join('') +
    `\nauto: Windows agents -> ${readCatalog().windows}; Linux agents by agent.version as above. Where the release boundary comes from:\n${sources}`
  );
}

/** The schema of a `diff` argument: a bundled name or a file (auto: the newest Linux one). */
function diffSide(arg: string): { label: string; schema: Record<string, unknown> } {
  const loaded = staticSchema(arg);
  return { label: loaded.name ?? arg, schema: loaded.schema };
}

export function schemaDiff(a: string, b: string): { a: string; b: string; diff: SchemaDiff } {
  const sa = diffSide(a);
  const sb = diffSide(b);
  return { a: sa.label, b: sb.label, diff: diffSchemas(sa.schema, sb.schema) };
}

function objectLines(change: ObjectChange, c: ChalkInstance): string {
  const out: string[] = [];
  const list = (sign: string, what: string, items: readonly string[], color: (s: string) => string): void => {
    if (items.length > 0) out.push(`    ${color(`${sign} ${what}`)} ${items.join(', ')}`);
  };
  list('+', 'properties:', change.propertiesAdded, c.green);
  list('-', 'properties:', change.propertiesRemoved, c.red);
  list('+', 'required:', change.requiredAdded, c.green);
  list('-', 'required:', change.requiredRemoved, c.red);
  for (const t of change.typeChanges) out.push(`    ${c.yellow('~ type:')} ${t.name}: ${t.from} -> ${t.to}`);
  return `  ${c.bold(change.name)}\n${out.join('\n')}\n`;
}

/** The diff for people: sections, `$defs` (new, removed, changed), then paths. */
export function formatDiff(a: string, b: string, d: SchemaDiff, c: ChalkInstance): string {
  if (isEmptyDiff(d)) return `${a} -> ${b}: no differences in sections, $defs or paths\n`;
  let out = `${c.bold(`${a} -> ${b}`)}\n`;
  const count = (items: readonly unknown[], what: string): string => `${items.length} ${what}`;
  out += `sections: ${count(d.sections.added, 'new')}, ${count(d.sections.removed, 'removed')}\n`;
  for (const s of d.sections.added) out += `  ${c.green('+')} ${s}\n`;
  for (const s of d.sections.removed) out += `  ${c.red('-')} ${s}\n`;
  // The top level's new and removed properties are the sections above; its required keys and types are not.
  const top = d.topLevel !== undefined ? { ...d.topLevel, propertiesAdded: [], propertiesRemoved: [] } : undefined;
  if (top !== undefined && top.requiredAdded.length + top.requiredRemoved.length + top.typeChanges.length > 0) out += objectLines(top, c);
  out += `$defs: ${count(d.defs.added, 'new')}, ${count(d.defs.removed, 'removed')}, ${count(d.defs.changed, 'changed')}\n`;
  for (const s of d.defs.added) out += `  ${c.green('+')} ${s}\n`;
  for (const s of d.defs.removed) out += `  ${c.red('-')} ${s}\n`;
  for (const ch of d.defs.changed) out += objectLines(ch, c).replace(/^ {2}/, `  ${c.yellow('~')} `);
  out += `paths: ${count(d.paths.added, 'new')}, ${count(d.paths.removed, 'removed')}, ${count(d.paths.changed, 'changed')}\n`;
  for (const p of d.paths.added) out += `  ${c.green('+')} ${p}\n`;
  for (const p of d.paths.removed) out += `  ${c.red('-')} ${p}\n`;
  for (const p of d.paths.changed) {
    const parts = [
      ...(p.type !== undefined ? [`${p.type.from} -> ${p.type.to}`] : []),
      ...(p.requiredAdded !== undefined ? [`+ required ${p.requiredAdded.join(', ')}`] : []),
      ...(p.requiredRemoved !== undefined ? [`- required ${p.requiredRemoved.join(', ')}`] : []),
    ];
    out += `  ${c.yellow('~')} ${p.path}: ${parts.join('; ')}\n`;
  }
  return out;
}
