/**
 * Line reports in, strings out: the `text` and `json` error formats.
 */
import type { ChalkInstance } from 'chalk';
import type { Issue, LineReport } from '../core/diagnostic.js';

export type ErrorFormat = 'text' | 'json';
export const ERROR_FORMATS: readonly ErrorFormat[] = ['text', 'json'];

const LINE_LEVEL = new Set(['json', 'encoding', 'size']);

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

export function formatTextIssue(report: LineReport, issue: Issue, c: ChalkInstance): string {
  const col = issue.column ?? (LINE_LEVEL.has(issue.keyword) ? report.column : undefined);
  const where = `${report.file}:${report.line}${col !== undefined ? `:${col}` : ''}:`;
  const pointer = LINE_LEVEL.has(issue.keyword)
    ? ''
    : ` ${c.cyan(issue.instancePath === '' ? '(root)' : issue.instancePath)}:`;
  return `${c.bold(where)}${pointer} ${issue.message} ${c.dim(`(${issue.keyword})`)}`;
}

/** One JSON object per invalid line. */
export function formatJsonReport(report: LineReport): string {
  const out: Record<string, unknown> = { file: report.file, line: report.line };
  if (report.column !== undefined) out.column = report.column;
  out.errors = report.errors.map((e) => ({
    instancePath: e.instancePath,
    schemaPath: e.schemaPath,
    keyword: e.keyword,
    params: e.params,
    message: e.message,
    ...(e.column !== undefined ? { column: e.column } : {}),
  }));
  return JSON.stringify(out) + '\n';
}

export function formatReport(report: LineReport, format: ErrorFormat, c: ChalkInstance): string {
  return format === 'json' ? formatJsonReport(report) : formatTextReport(report, c);
}
