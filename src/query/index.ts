/**
 * The query language of `--where`: text -> `(event) => boolean`.
 *
 *     process.uid == 0 and process.args == "-c"
 *     file.path =~ "/etc/**" and not (process.comm in ["sshd", "cron"])
 *     process.executable.path =~ r"^/tmp/[^/]+\.sh$" || exists(process.tty)
 *
 * Pipeline: `lexer.ts` -> `parser.ts` (AST with spans, `ast.ts`) -> `check.ts`
 * (fields against the schema, operands, regexes, globs; all errors) ->
 * `compile.ts` (closures). Errors are `QueryError` values; `renderQueryError`
 * underlines the query. Semantics are documented in `compile.ts`.
 */
import type { SchemaIndex } from '../core/schema-index.js';
import type { Expr } from './ast.js';
import { checkQuery } from './check.js';
import { compileExpr, type Matcher } from './compile.js';
import type { QueryError } from './errors.js';
import { parseQuery } from './parser.js';

export type { CompareOp, Expr, Literal } from './ast.js';
export { printQuery, printLiteral, stripSpans, usesEnvelope } from './ast.js';
export type { QueryError, QueryErrorCode } from './errors.js';
export { renderQueryError, positionText, columnOf } from './errors.js';
export { lex, type Token, type TokenKind } from './lexer.js';
export { parseQuery, DEFAULT_MAX_DEPTH, type ParseOptions, type ParseResult } from './parser.js';
export { checkQuery, type CheckOptions, type CheckResult } from './check.js';
export { compileExpr, compareCodePoints, type Matcher } from './compile.js';
export { compileGlob } from './glob.js';

export interface CompileQueryOptions {
  /** Resolve paths (dotted keys, did-you-mean) and check types against this schema. */
  schema?: SchemaIndex | null;
  /** Nesting limit for `(`, `not` and `[` (default 256). */
  maxDepth?: number;
}

export type CompiledQuery =
  | { ok: true; match: Matcher; ast: Expr }
  | { ok: false; errors: QueryError[] };

/**
 * Parses, checks and compiles a query once. Never throws; bad queries give
 * errors (all lexical errors, or the first syntax error, or all check errors).
 */
export function compileQuery(text: string, options: CompileQueryOptions = {}): CompiledQuery {
  const parsed = parseQuery(text, options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {});
  if (!parsed.ok) return parsed;
  const checked = checkQuery(parsed.ast, { schema: options.schema ?? null });
  if (!checked.ok) return checked;
  const match = compileExpr(checked.ast);
  return { ok: true, match, ast: checked.ast };
}
