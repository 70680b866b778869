/**
 * Policy load errors: values located in the policy file (line and column, 1-based,
 * columns in code points), with the line's text so that a renderer can put a caret
 * under the culprit:
 *
 *     rules.policy:12:25: rule exec_tmp: expression: unknown field, constant or macro 'exec.fil.path' — did you mean 'exec.file.path'?
 *       expression: exec.fil.path == "/tmp/x"
 *                   ^^^^^^^^^^^^^
 *
 * - `yaml`: the file is not YAML (or has a duplicate key);
 * - `policy`: a definition of the wrong shape, without id, with a bad id, agent_version,
 *   combine or override option, or a macro that cannot be merged;
 * - `expression`: a rule, macro or filter expression that does not parse or compile.
 */
import { codePointCount } from '../core/text.js';
import { escapeText, isTerminalUnsafe } from '../core/escape.js';

export type PolicyErrorCode = 'yaml' | 'policy' | 'expression';

export interface PolicyError {
  code: PolicyErrorCode;
  file: string;
  line: number;
  column: number;
  /** Without the position. */
  message: string;
  /** The text of the line, and the caret's columns on it (1-based, end exclusive). */
  lineText: string;
  caret: { from: number; to: number };
}

interface LineIndex {
  lineStarts: number[];
}

function lineOf(lines: LineIndex, offset: number): number {
  let lo = 0;
  let hi = lines.lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines.lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** An error at file offsets [start, end) (the caret stops at the end of the first line). */
export function policyError(
  file: { name: string; text: string },
  lines: LineIndex,
  code: PolicyErrorCode,
  message: string,
  span: { start: number; end: number },
): PolicyError {
  const text = file.text;
  const start = Math.max(0, Math.min(span.start, text.length));
  const li = lineOf(lines, start);
  const lineStart = lines.lineStarts[li] ?? 0;
  let lineEnd = text.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = text.length;
  const end = Math.max(start + 1, Math.min(span.end, lineEnd));
  let lineText = text.slice(lineStart, lineEnd);
  if (lineText.endsWith('\r')) lineText = lineText.slice(0, -1);
  const column = codePointCount(text, lineStart, start) + 1;
  const to = codePointCount(text, lineStart, Math.min(end, lineStart + lineText.length)) + 1;
  return { code, file: file.name, line: li + 1, column, message: escapeText(message), lineText, caret: { from: column, to: Math.max(to, column + 1) } };
}

/** Same width on a terminal: tabs kept, every other character a terminal obeys (core/escape.ts) shown as `?`. */
function safeLine(text: string): string {
  return [...text].map((c) => (c !== '\t' && c.length === 1 && isTerminalUnsafe(c.charCodeAt(0)) ? '?' : c)).join('');
}

/** `file:line:col: message`, the line, and the caret under the culprit (tabs kept so it lines up). */
export function renderPolicyError(e: PolicyError): { head: string; source: string; caret: string } {
  const chars = [...e.lineText];
  const pad = chars.slice(0, e.caret.from - 1).map((c) => (c === '\t' ? '\t' : ' ')).join('');
  return {
    head: `${escapeText(e.file)}:${e.line}:${e.column}: ${e.message}`,
    source: `  ${safeLine(e.lineText)}`,
    caret: `  ${pad}${'^'.repeat(Math.max(1, e.caret.to - e.caret.from))}`,
  };
}
