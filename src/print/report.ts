/**
 * Line reports in, strings out: the `text`, `json` and `github` error formats.
 */
import type { ChalkInstance } from 'chalk';
import type { Issue, LineReport } from '../core/diagnostic.js';
import { MAX_ERRORS_PER_LINE } from '../core/validate-line.js';
import { escapeText, jsonForTerminal } from '../core/escape.js';

export type ErrorFormat = 'text' | 'json' | 'github';
export const ERROR_FORMATS: readonly ErrorFormat[] = ['text', 'json', 'github'];

const LINE_LEVEL = new Set(['json', 'encoding', 'size', 'values', 'shape']);

/**
 * `FILE:LINE:COL: /instance/pointer: message (keyword)`, one line per error.
 * Line-level errors (json, encoding, size) have no pointer; the root of the
 * event is shown as `(root)`, since `/` would be the pointer to the key "".
 */
export function formatTextReport(report: LineReport, c: ChalkInstance): string {
  let out = '';
  for (const issue of report.errors) out += formatTextIssue(report, issue, c) + '\n';
  for (const issue of report.warnings ?? []) out += formatTextIssue(report, issue, c, 'warning') + '\n';
  if (report.omitted !== undefined) out += `${c.bold(`${escapeText(report.file)}:${report.line}:`)} ${omittedMessage(report.omitted)}\n`;
  return out;
}

/** The column an issue points at: its own, or the line's for line-level errors; an event cut out of a document: its first byte. */
function issueColumn(report: LineReport, issue: Issue): number | undefined {
  if (report.event !== undefined) return report.column;
  return issue.column ?? (LINE_LEVEL.has(issue.code) ? report.column : undefined);
}

/** ` [item N]` after the place of an element of an array. */
function itemText(report: LineReport): string {
  return report.event?.item !== undefined ? ` [item ${report.event.item}]` : '';
}

export function formatTextIssue(report: LineReport, issue: Issue, c: ChalkInstance, severity: 'error' | 'warning' = 'error'): string {
  const col = issueColumn(report, issue);
  // The file name, the pointer and the message hold text from the data: escaped (src/core/escape.ts).
  const where = `${escapeText(report.file)}:${report.line}${col !== undefined ? `:${col}` : ''}${itemText(report)}:`;
  const pointer = LINE_LEVEL.has(issue.code)
    ? ''
    : ` ${c.cyan(issue.instancePath === '' ? '(root)' : escapeText(issue.instancePath))}:`;
  // Warnings say so (as compilers do); errors keep the plain form. The schema that judged the line ends it.
  const label = severity === 'warning' ? ` ${c.yellow('warning:')}` : '';
  const schema = report.schema !== undefined ? ` ${c.dim(`[${escapeText(report.schema)}]`)}` : '';
  return `${c.bold(where)}${label}${pointer} ${escapeText(issue.message)} ${c.dim(`(${escapeText(issue.code)})`)}${schema}`;
}

/** One JSON object per invalid line. */
export function formatJsonReport(report: LineReport): string {
  const out: Record<string, unknown> = { file: report.file, line: report.line };
  if (report.column !== undefined) out.column = report.column;
  if (report.schema !== undefined) out.schema = report.schema;
  if (report.event?.item !== undefined) out.item = report.event.item;
  const item = (e: Issue, severity?: 'warning'): Record<string, unknown> => ({
    instancePath: e.instancePath,
    schemaPath: e.schemaPath,
    keyword: e.code,
    params: e.params,
    message: e.message,
    ...(e.column !== undefined ? { column: e.column } : {}),
    ...(severity !== undefined ? { severity } : {}),
  });
  out.errors = report.errors.map((e) => item(e));
  if (report.warnings !== undefined && report.warnings.length > 0) out.warnings = report.warnings.map((e) => item(e, 'warning'));
  if (report.omitted !== undefined) out.omitted = report.omitted;
  return jsonForTerminal(JSON.stringify(out)) + '\n';
}

/** GitHub workflow-command escaping: of a message, and (`property`) of a property value. */
export function githubEscape(text: string, property = false): string {
  const out = text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return property ? out.replace(/:/g, '%3A').replace(/,/g, '%2C') : out;
}

/**
 * GitHub Actions annotations, one per error:
 * `::error file=F,line=L,col=C,title=csm (keyword)::/pointer: message`. `<stdin>`
 * names no file, so it gets no `file=` (the line and column still come).
 */
export function formatGithubReport(report: LineReport): string {
  let out = '';
  const all = [
    ...report.errors.map((issue) => ({ issue, command: 'error' })),
    ...(report.warnings ?? []).map((issue) => ({ issue, command: 'warning' })),
  ];
  for (const { issue, command } of all) {
    const props: string[] = [];
    if (report.file !== '<stdin>') props.push(`file=${githubEscape(escapeText(report.file), true)}`);
    props.push(`line=${report.line}`);
    const col = issueColumn(report, issue);
    if (col !== undefined) props.push(`col=${col}`);
    const schema = report.schema !== undefined ? ` [${report.schema}]` : '';
    props.push(`title=${githubEscape(escapeText(`CSM event${itemText(report)} (${issue.code})${schema}`), true)}`);
    const pointer = LINE_LEVEL.has(issue.code) ? '' : `${issue.instancePath === '' ? '(root)' : issue.instancePath}: `;
    out += `::${command} ${props.join(',')}::${githubEscape(escapeText(pointer + issue.message))}\n`;
  }
  if (report.omitted !== undefined) {
    const file = report.file !== '<stdin>' ? `file=${githubEscape(escapeText(report.file), true)},` : '';
    out += `::error ${file}line=${report.line},title=CSM event (more errors)::${omittedMessage(report.omitted)}\n`;
  }
  return out;
}

/** The last report line of a line with more errors than are listed. */
export function omittedMessage(omitted: number): string {
  return `... and ${omitted} more error${omitted === 1 ? '' : 's'} on this line, not listed (at most ${MAX_ERRORS_PER_LINE} are)`;
}

export function formatReport(report: LineReport, format: ErrorFormat, c: ChalkInstance): string {
  if (format === 'github') return formatGithubReport(report);
  return format === 'json' ? formatJsonReport(report) : formatTextReport(report, c);
}
