/**
 * Line reports in, strings out: the `text`, `json` and `github` error formats.
 */
import type { ChalkInstance } from 'chalk';
import type { Issue, LineReport } from '../core/diagnostic.js';

export type ErrorFormat = 'text' | 'json' | 'github';
export const ERROR_FORMATS: readonly ErrorFormat[] = ['text', 'json', 'github'];

const LINE_LEVEL = new Set(['json', 'encoding', 'size', 'shape']);

/**
 * `FILE:LINE:COL: /instance/pointer: message (keyword)`, one line per error.
 * Line-level errors (json, encoding, size) have no pointer; the root of the
 * event is shown as `(root)`, since `/` would be the pointer to the key "".
 */
export function formatTextReport(report: LineReport, c: ChalkInstance): string {
  let out = '';
  for (const issue of report.errors) out += formatTextIssue(report, issue, c) + '\n';
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

export function formatTextIssue(report: LineReport, issue: Issue, c: ChalkInstance): string {
  const col = issueColumn(report, issue);
  const where = `${report.file}:${report.line}${col !== undefined ? `:${col}` : ''}${itemText(report)}:`;
  const pointer = LINE_LEVEL.has(issue.code)
    ? ''
    : ` ${c.cyan(issue.instancePath === '' ? '(root)' : issue.instancePath)}:`;
  return `${c.bold(where)}${pointer} ${issue.message} ${c.dim(`(${issue.code})`)}`;
}

/** One JSON object per invalid line. */
export function formatJsonReport(report: LineReport): string {
  const out: Record<string, unknown> = { file: report.file, line: report.line };
  if (report.column !== undefined) out.column = report.column;
  if (report.event?.item !== undefined) out.item = report.event.item;
  out.errors = report.errors.map((e) => ({
    instancePath: e.instancePath,
    schemaPath: e.schemaPath,
    keyword: e.code,
    params: e.params,
    message: e.message,
    ...(e.column !== undefined ? { column: e.column } : {}),
  }));
  return JSON.stringify(out) + '\n';
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
  for (const issue of report.errors) {
    const props: string[] = [];
    if (report.file !== '<stdin>') props.push(`file=${githubEscape(report.file, true)}`);
    props.push(`line=${report.line}`);
    const col = issueColumn(report, issue);
    if (col !== undefined) props.push(`col=${col}`);
    props.push(`title=${githubEscape(`CSM event${itemText(report)} (${issue.code})`, true)}`);
    const pointer = LINE_LEVEL.has(issue.code) ? '' : `${issue.instancePath === '' ? '(root)' : issue.instancePath}: `;
    out += `::error ${props.join(',')}::${githubEscape(pointer + issue.message)}\n`;
  }
  return out;
}

export function formatReport(report: LineReport, format: ErrorFormat, c: ChalkInstance): string {
  if (format === 'github') return formatGithubReport(report);
  return format === 'json' ? formatJsonReport(report) : formatTextReport(report, c);
}
