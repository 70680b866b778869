/**
 * SECL errors: values, never thrown out of `src/secl`. The message has no
 * position; a renderer elsewhere underlines `span` in the expression.
 *
 * - `syntax`: the lexer or the parser cannot read the expression.
 * - `unknown-field`: an identifier that is neither a field, a constant nor a macro.
 * - `operand`: an operator with an operand it cannot take (`==` on a list, a bad IP or CIDR).
 * - `type`: operand types the agent rejects (`process.pid == "1"`, `!` on an integer).
 * - `regex`: RE2 rejects the regular expression.
 * - `pattern`: a malformed pattern or glob (`**` twice, `**` in a simple pattern).
 * - `constant`: constants of mixed types in one list.
 * - `macro`: a macro that cannot be used here or that does not compile.
 * - `variable`: an unknown `${variable}` or one of a type that cannot be used here.
 */
import type { Span } from './ast.js';

export type SeclErrorCode =
  | 'syntax'
  | 'unknown-field'
  | 'operand'
  | 'type'
  | 'regex'
  | 'pattern'
  | 'constant'
  | 'macro'
  | 'variable';

export interface SeclError {
  code: SeclErrorCode;
  /** Without the position. */
  message: string;
  /** UTF-16 offsets into the expression, end exclusive. */
  span: Span;
  /** What would have been accepted here, e.g. `a value`. */
  expected?: string;
  /** What was there instead, e.g. `')'`, `end of expression`. */
  found?: string;
  /** For `unknown-field`: the closest known name. */
  suggestion?: string;
  /** For an unclosed `(` or `[`: where it was opened. */
  opener?: Span;
}

export function seclError(
  code: SeclErrorCode,
  message: string,
  span: Span,
  extra: { expected?: string; found?: string; suggestion?: string; opener?: Span } = {},
): SeclError {
  const e: SeclError = { code, message, span: { start: span.start, end: span.end } };
  if (extra.expected !== undefined) e.expected = extra.expected;
  if (extra.found !== undefined) e.found = extra.found;
  if (extra.suggestion !== undefined) e.suggestion = extra.suggestion;
  if (extra.opener !== undefined) e.opener = { start: extra.opener.start, end: extra.opener.end };
  return e;
}

/** A result: the value, or the errors (at least one). */
export type Result<T> = { ok: true; value: T } | { ok: false; errors: SeclError[] };
