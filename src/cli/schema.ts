/**
 * csm-schema: what the event schema says, from the schema itself: field paths
 * (`fields`, `describe`), event kinds (`kinds`), the schema (`show`) and valid
 * sample events (`sample`). `csm-schema COMMAND [options] [args]`.
 */
import { readFileSync } from 'node:fs';
import type { ChalkInstance } from 'chalk';
import { ExitCode, UsageError } from '../core/diagnostic.js';
import { escapeText, jsonForTerminal } from '../core/escape.js';
import { EVENT_KINDS, type EventKind, findKind } from '../core/kinds.js';
import { formatPath } from '../core/path.js';
import { sampleEvent } from '../core/sample.js';
import {
  type SchemaIndex,
  type SchemaNode,
  listPaths,
  resolvePath,
} from '../core/schema-index.js';
import { closest } from '../core/schema-index/suggest.js';
import { schemaIndexOf } from '../io/schemas.js';
import { bundledSchemaPath, readCatalog, staticSchema } from '../io/catalog.js';
import { formatDiff, formatVersions, schemaDiff } from './schema-versions.js';
import { colorEnabled, makeChalk } from '../print/color.js';
import { seclFieldNames, seclFieldRows } from '../secl/catalog.js';
import { tsvCell } from '../print/fields.js';
import { schemaCommand } from './commands.js';
import { dottedPath } from './completion.js';
import type { Io } from './io.js';
import { colorMode, parseCommand } from './args.js';
import { runTool } from './run.js';

const TOOL = 'csm-schema';
type TableFormat = 'text' | 'tsv' | 'json';

// ---------------------------------------------------------------------------
// Rows and tables

/** `string`, `integer`, `string[]`, `object[]`, `object`, `any`; unions joined with `|`. */
function typeText(node: SchemaNode): string {
  if (node.types.length === 0) return 'any';
  return node.types
    .map((t) => {
      if (t !== 'array') return t;
      const items = node.items;
      return items !== undefined && items.types.length > 0 && !items.types.includes('array') ? `${typeText(items)}[]` : 'array';
    })
    .join('|');
}

export interface FieldRow {
  path: string;
  type: string;
  format?: string;
  description?: string;
}

function fieldRow(path: string, node: SchemaNode): FieldRow {
  const row: FieldRow = { path, type: typeText(node) };
  if (node.format !== undefined) row.format = node.format;
  if (node.description !== undefined) row.description = node.description;
  return row;
}

/** Aligned columns, two spaces apart; the last column is not padded. Cells are escaped (a schema's text is data). */
function alignedTable(header: string[] | undefined, rawRows: string[][], c: ChalkInstance): string {
  const rows = rawRows.map((r) => r.map(escapeText));
  const all = header !== undefined ? [header, ...rows] : rows;
  const widths = (all[0] ?? []).map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (cells: string[], style: (s: string, i: number) => string): string =>
    cells
      .map((cell, i) => style(i < cells.length - 1 ? cell.padEnd(widths[i]!) : cell, i))
      .join('  ')
      .trimEnd();
  let out = '';
  if (header !== undefined) out += line(header, (s) => c.bold(s)) + '\n';
  for (const r of rows) out += line(r, (s, i) => (i === 0 ? c.cyan(s) : s)) + '\n';
  return out;
}

function table(
  format: TableFormat,
  columns: string[],
  records: Record<string, unknown>[],
  cells: (r: Record<string, unknown>) => string[],
  header: boolean,
  c: ChalkInstance,
): string {
  if (format === 'json') return records.map((r) => jsonForTerminal(JSON.stringify(r)) + '\n').join('');
  if (format === 'tsv') {
    const lines = records.map((r) => cells(r).map(tsvCell).join('\t') + '\n');
    return (header ? columns.join('\t') + '\n' : '') + lines.join('');
  }
  return alignedTable(header ? columns.map((h) => h.toUpperCase()) : undefined, records.map(cells), c);
}

// ---------------------------------------------------------------------------
// Commands

interface Context {
  opts: Record<string, unknown>;
  args: string[];
  schemaFile: string | undefined;
  index: () => SchemaIndex;
  chalk: () => ChalkInstance;
}

function fields(ctx: Context): string {
  const prefix = ctx.args[0] ?? '';
  const records = listPaths(ctx.index())
    .filter((p) => p.path.startsWith(prefix) || dottedPath(p.segments).startsWith(prefix))
    .map((p) => fieldRow(p.path, p.node));
  const format = ctx.opts.format as TableFormat;
  const cells = (r: Record<string, unknown>): string[] => {
    const row = r as unknown as FieldRow;
    if (format === 'tsv') return [row.path, row.type, row.format ?? '', row.description ?? ''];
    return [row.path, row.format !== undefined ? `${row.type} (${row.format})` : row.type, row.description ?? ''];
  };
  const columns = format === 'tsv' ? ['path', 'type', 'format', 'description'] : ['path', 'type', 'description'];
  return table(format, columns, records as unknown as Record<string, unknown>[], cells, ctx.opts.header !== false, ctx.chalk());
}

function describe(ctx: Context): string {
  const index = ctx.index();
  const text = ctx.args[0]!;
  const r = resolvePath(index, text);
  if (!r.ok) throw new UsageError(r.error.code === 'unknown-field' ? r.error.message : `${text}: ${r.error.message}`);
  const node = r.node!;
  const segments = r.path.segments;
  const path = formatPath(segments);
  const last = segments[segments.length - 1]!;
  const parentPath = formatPath(segments.slice(0, -1));
  let definedIn: string;
  if (last.kind !== 'key') definedIn = `element of ${parentPath}`;
  else {
    const up = resolvePath(index, { ...r.path, segments: segments.slice(0, -1) });
    const parent = segments.length > 1 && up.ok && up.node !== undefined ? up.node : index.root;
    const owner = parent.defName !== undefined ? `$defs/${parent.defName}` : parent === index.root ? 'the event (top level)' : parentPath;
    definedIn = parent.children.has(last.key) ? `${owner}, key ${JSON.stringify(last.key)}` : `free-form key of ${parentPath}`;
  }
  const alsoAt = listPaths(index)
    .filter((p) => p.node === node && p.path !== path)
    .map((p) => p.path);
  const childBase = node.types.includes('array') && node.items !== undefined ? [...segments, { kind: 'wildcard' as const, span: { start: 0, end: 0 } }] : segments;
  const childNode = node.types.includes('array') && node.items !== undefined ? node.items : node;
  const children = [...childNode.children].map(([key, child]) =>
    fieldRow(formatPath([...childBase, { kind: 'key', key, span: { start: 0, end: 0 } }]), child),
  );
  const info = {
    path,
    type: typeText(node),
    ...(node.format !== undefined ? { format: node.format } : {}),
    ...(node.description !== undefined ? { description: node.description } : {}),
    ...(node.defName !== undefined ? { schema: `$defs/${node.defName}` } : {}),
    definedIn,
    ...(node.required.length > 0 ? { required: node.required } : {}),
    freeForm: node.freeForm && node.types.length !== 0,
    ...(node.freeForm && node.additional !== undefined && node.additional.types.length > 0 ? { values: typeText(node.additional) } : {}),
    alsoAt,
    children,
  };
  if (ctx.opts.format === 'json') return jsonForTerminal(JSON.stringify(info)) + '\n';
  const c = ctx.chalk();
  const rows: [string, string][] = [
    ['type', info.type + (info.schema !== undefined ? ` (${info.schema})` : '')],
    ['format', info.format ?? ''],
    ['description', info.description ?? ''],
    ['defined in', definedIn],
    ['required', node.required.join(', ')],
    ['free-form', info.freeForm ? `any key is accepted${info.values !== undefined ? `, its value: ${info.values}` : ''}` : ''],
    ['also at', alsoAt.map(escapeText).join('\n')],
  ];
  let out = c.cyan.bold(escapeText(path)) + '\n';
  for (const [label, value] of rows) {
    if (value === '') continue;
    out += (label === 'also at' ? value : escapeText(value))
      .split('\n')
      .map((v, i) => `  ${(i === 0 ? label : '').padEnd(12)} ${v}`)
      .join('\n') + '\n';
  }
  if (children.length > 0) {
    out += `  children\n`;
    const rows = children.map((ch) => [ch.path, ch.format !== undefined ? `${ch.type} (${ch.format})` : ch.type, ch.description ?? '']);
    out += alignedTable(undefined, rows, c).replace(/^(?=.)/gm, '    ');
  }
  return out;
}

function kinds(ctx: Context): string {
  const records = EVENT_KINDS.map((k) => ({ kind: k.name, category: k.category, sections: k.sections, description: k.description }));
  const cells = (r: Record<string, unknown>): string[] => [
    r.kind as string,
    r.category as string,
    (r.sections as string[]).join(ctx.opts.format === 'tsv' ? ',' : ', '),
    r.description as string,
  ];
  return table(ctx.opts.format as TableFormat, ['kind', 'category', 'sections', 'description'], records, cells, ctx.opts.header !== false, ctx.chalk());
}

function show(ctx: Context): Buffer {
  const loaded = staticSchema(ctx.schemaFile);
  if (loaded.name !== undefined) return readFileSync(bundledSchemaPath(loaded.name));
  ctx.index(); // the same checks and errors as the other tools
  return readFileSync(ctx.schemaFile!);
}

/** The kind named `name`, or a usage error with the closest known name. */
function kindNamed(name: string): EventKind {
  const kind = findKind(name);
  if (kind !== undefined) return kind;
  const best = closest(name, EVENT_KINDS, (k) => k.name, 2)?.name;
  throw new UsageError(
    `--kind: unknown kind '${name}'${best !== undefined ? ` — did you mean '${best}'?` : ''} (csm-schema kinds lists them)`,
  );
}

function sample(ctx: Context): string {
  const names = ((ctx.opts.kind as string[] | undefined) ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  const chosen = names.length > 0 ? names.map(kindNamed) : EVENT_KINDS;
  const index = ctx.index();
  const agent = sampleAgent(staticSchema(ctx.schemaFile).name);
  return chosen.map((k) => jsonForTerminal(JSON.stringify(sampleEvent(k, index, agent))) + '\n').join('');
}

/** The agent of a bundled schema's samples: one that `--schema auto` judges by that same schema. */
function sampleAgent(name: string | undefined): { version?: string; os?: string } {
  const catalog = readCatalog();
  if (name === catalog.windows) return { os: 'windows' };
  const from = catalog.linux.find((r) => r.schema === name)?.from;
  return from !== undefined && from !== null ? { version: from } : {};
}

function versions(ctx: Context): string {
  return formatVersions(ctx.opts.format as string, ctx.opts.header !== false, ctx.chalk());
}

function diff(ctx: Context): string {
  const { a, b, diff: d } = schemaDiff(ctx.args[0]!, ctx.args[1]!);
  return ctx.opts.format === 'json' ? JSON.stringify({ a, b, ...d }) + '\n' : formatDiff(a, b, d, ctx.chalk());
}

/** The SECL fields (csm-schema secl [PREFIX]): type, event type, kind and JSON path or reason. */
function secl(ctx: Context): string {
  const prefix = ctx.args[0] ?? '';
  const records = seclFieldRows(prefix);
  if (records.length === 0) {
    // compared segment for segment: `opne.` -> `open.`, `open.file.pth` -> `open.file.path`
    const dot = prefix.endsWith('.') ? '.' : '';
    const typed = prefix.slice(0, prefix.length - dot.length);
    const depth = typed.split('.').length;
    const heads = new Set(seclFieldNames().map((f) => f.split('.').slice(0, depth).join('.')));
    const near = closest(typed, heads, (f) => f, 2);
    const best = near === undefined ? undefined : near + dot;
    throw new UsageError(`no SECL field starts with '${prefix}'${best !== undefined ? ` — did you mean '${best}'?` : ''}`);
  }
  const cells = (r: Record<string, unknown>): string[] => {
    const row = r as unknown as (typeof records)[number];
    const where = row.kind === 'unavailable' ? row.reason! : row.derivation !== undefined ? `${row.json} (${row.derivation})` : row.json!;
    return [row.field, row.type, row.event, row.kind, where];
  };
  return table(ctx.opts.format as TableFormat, ['field', 'type', 'event', 'kind', 'json'], records as unknown as Record<string, unknown>[], cells, ctx.opts.header !== false, ctx.chalk());
}

const COMMANDS: Record<string, (ctx: Context) => string | Buffer> = { fields, describe, kinds, show, sample, secl, versions, diff };

/**
 * `--color WHEN` and `--schema FILE` typed before the command (`csm-schema --color
 * always describe x`) go to the command, which is where they are defined.
 */
function commandFirst(argv: readonly string[]): string[] {
  const before: string[] = [];
  let i = 0;
  while (i < argv.length && /^--(color|schema)(=|$)/.test(argv[i]!)) {
    const takesNext = !argv[i]!.includes('=');
    before.push(...argv.slice(i, i + (takesNext ? 2 : 1)));
    i += takesNext ? 2 : 1;
  }
  return before.length === 0 ? [...argv] : [...argv.slice(i, i + 1), ...before, ...argv.slice(i + 1)];
}

export async function main(io: Io): Promise<ExitCode> {
  return runTool(TOOL, io, async () => {
    const root = schemaCommand();
    const [name, ...rest] = commandFirst(io.argv);
    const sub = root.commands.find((c) => c.name() === name);
    if (name === undefined) throw new UsageError(`expected a command: ${root.commands.map((c) => c.name()).join(', ')} (see --help)`);
    if (sub === undefined) {
      // --help, --version, or an error (unknown command or option); never a subcommand
      const parsed = parseCommand(root, { ...io, argv: io.argv.slice(0, 1) });
      if (parsed.kind === 'exit') return parsed.code;
      throw new UsageError(`expected a command: ${root.commands.map((c) => c.name()).join(', ')} (see --help)`);
    }
    const parsed = parseCommand(sub, { ...io, argv: rest });
    if (parsed.kind === 'exit') return parsed.code;
    const opts = sub.opts();
    const schemaFile = opts.schema as string | undefined;
    let index: SchemaIndex | undefined;
    const ctx: Context = {
      opts,
      args: sub.args,
      schemaFile,
      index: () => (index ??= schemaIndexOf(staticSchema(schemaFile).schema)),
      chalk: () => makeChalk(colorEnabled(colorMode(opts.color), io.env, io.stdout.isTTY === true)),
    };
    io.stdout.write(COMMANDS[sub.name()]!(ctx));
    return ExitCode.ok;
  });
}
