/**
 * Query errors: one shape for the lexer, the parser and the checker, and one
 * renderer that underlines the query.
 *
 *     csm-filter: --where: expected a value after '==' at column 14
 *       process.uid ==
 *                    ^
 *
 * Columns are 1-based and count code points. An error found at the end of the
 * query points at its last character (there is nothing after it to point at).
 */
import type { Diagnostic, Span } from '../core/diagnostic.js';
import { escapeText, escapedPieces } from '../core/escape.js';
import { codePointCount } from '../core/text.js';

export type { Span };

/**
 * - `syntax`: the lexer or parser could not read the query.
 * - `depth`: parentheses, `not` or lists nested deeper than the limit.
 * - `path`: a malformed field path (`process.`, `args[x]`).
 * - `unknown-field`: the schema has no such field (with a suggestion if one is close).
 * - `operand`: an operator with a value it cannot take (`in "a"`, `< true`, `== r"x"`).
 * - `type`: the schema says the field never holds that type (`process.pid == "1"`).
 * - `regex`: RE2 rejects the regular expression (backreference, lookaround, syntax).
 * - `glob`: a malformed glob (`"[abc"`).
 */
export type QueryErrorCode = 'syntax' | 'depth' | 'path' | 'unknown-field' | 'operand' | 'type' | 'regex' | 'glob';

/**
 * A problem of a query: a Diagnostic whose `span` is in the query (UTF-16
 * offsets) and whose message has no position (the renderer adds `at column N`).
 * A path's own errors (PathError) are QueryErrors too.
 */
export interface QueryError extends Diagnostic {
  code: QueryErrorCode;
  span: Span;
}

export function queryError(
  code: QueryErrorCode,
  message: string,
  span: Span,
  extra: Partial<Omit<QueryError, 'code' | 'message' | 'span'>> = {},
): QueryError {
  const e: QueryError = { code, message, span: { start: span.start, end: span.end } };
  if (extra.expected !== undefined) e.expected = extra.expected;
  if (extra.found !== undefined) e.found = extra.found;
  if (extra.opener !== undefined) e.opener = { start: extra.opener.start, end: extra.opener.end };
  if (extra.suggestion !== undefined) e.suggestion = extra.suggestion;
  return e;
}

/** Line (0-based), column (0-based, in code points) and line text of an offset. */
function locate(source: string, offset: number): { line: number; lineStart: number; lineText: string; col: number } {
  const at = Math.max(0, Math.min(offset, source.length));
  let lineStart = 0;
  let line = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < at; i = source.indexOf('\n', i + 1)) {
    lineStart = i + 1;
    line++;
  }
  let lineEnd = source.indexOf('\n', lineStart);
  if (lineEnd === -1) lineEnd = source.length;
  let lineText = source.slice(lineStart, lineEnd);
  if (lineText.endsWith('\r')) lineText = lineText.slice(0, -1);
  const col = codePointCount(source, lineStart, at);
  return { line, lineStart, lineText, col };
}

/** 1-based column of an offset (code points since the start of its line). */
export function columnOf(source: string, offset: number): number {
  return locate(source, offset).col + 1;
}

/** `at column 14`, or `at line 2, column 3` for a query written on several lines. */
export function positionText(source: string, offset: number): string {
  const loc = locate(source, offset);
  return source.includes('\n') ? `at line ${loc.line + 1}, column ${loc.col + 1}` : `at column ${loc.col + 1}`;
}

/**
 * Adds `^` marks for `span` to a marker line (one cell per code point of the
 * query line, as wide as that code point is shown: an escaped `\x1b` takes four).
 */
function mark(cells: string[], lineText: string, col: number, width: number): void {
  const pieces = escapedPieces(lineText);
  const cellWidth = (i: number): number => (pieces[i] === undefined ? 1 : Array.from(pieces[i]!).length);
  while (cells.length < col + width) cells.push(' '.repeat(cellWidth(cells.length)));
  for (let i = col; i < col + width; i++) cells[i] = '^'.repeat(cellWidth(i));
}

function spanWidth(source: string, span: Span, lineStart: number, lineText: string): number {
  const end = Math.min(span.end, lineStart + lineText.length);
  const w = Array.from(source.slice(span.start, Math.max(span.start, end))).length;
  return Math.max(1, w);
}

/**
 * Renders an error for a terminal. A message quotes pieces of the query (a
 * token, a path, a regex part), which may hold control characters, bidi
 * controls or line separators, and the query line shows them too: both are
 * escaped (`\x0a`, `\u202e`: src/core/escape.ts), so the error stays on its
 * lines and the carets under the escapes they point at. The error's own
 * `message` is kept as it is (a value; printers escape).
 *
 * The rendering: the message with its position, the query
 * line indented by two spaces, and `^` under the span (`^^^` for a longer span).
 * For an unclosed bracket the opener is marked too (on the same marker line when
 * it is on the same line of the query). No trailing newline.
 */
export function renderQueryError(source: string, error: Pick<QueryError, 'message' | 'span' | 'opener'>, label = ''): string {
  const out: string[] = [`${label !== '' ? `${escapeText(label)}: ` : ''}${escapeText(error.message)} ${positionText(source, error.span.start)}`];
  const main = locate(source, error.span.start);
  const cells: string[] = [];
  mark(cells, main.lineText, main.col, spanWidth(source, error.span, main.lineStart, main.lineText));
  let extra: string[] | null = null;
  if (error.opener) {
    const op = locate(source, error.opener.start);
    const width = spanWidth(source, error.opener, op.lineStart, op.lineText);
    if (op.line === main.line) {
      mark(cells, main.lineText, op.col, width);
    } else {
      const opCells: string[] = [];
      mark(opCells, op.lineText, op.col, width);
      extra = [`  ${escapeText(op.lineText)}`, `  ${opCells.join('')} opened here`];
    }
  }
  if (extra) out.push(...extra);
  out.push(`  ${escapeText(main.lineText)}`, `  ${cells.join('')}`);
  return out.join('\n');
}
