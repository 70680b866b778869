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
import type { Expr, Literal } from './ast.js';
import { checkQuery } from './check.js';
import { compileExpr, type Matcher } from './compile.js';
import type { QueryError } from './errors.js';
import { parseQuery } from './parser.js';

export type { CompareOp, Expr, Literal } from './ast.js';
export { printQuery, printLiteral, stripSpans } from './ast.js';
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

/** Characters every JSON encoder writes as themselves (printable ASCII minus `" \ / < > & '`). */
const SAFE = /[^\x20-\x7e]|["\\/<>&']/;

function fragments(s: string): string[] {
  return s.split(new RegExp(SAFE.source, 'g')).filter((f) => f !== '');
}

/**
 * Strings a line must contain for the query to possibly match, for a byte-level
 * prefilter: a list of groups, and the line can match only if, for every group,
 * it contains at least one of the group's strings. `null`: no requirement could
 * be derived (run the full evaluation on every line).
 *
 * Derived only from a query that is an `and` chain (or a single comparison):
 * each `path == "literal"` conjunct requires its literal, each
 * `path in ["a", "b"]` conjunct (strings only) requires one of its literals;
 * other conjuncts add nothing. Since a JSON encoder may escape characters, the
 * strings are the fragments of the literals made of printable ASCII other than
 * `" \ / < > & '` (every encoder writes those as themselves): `"/etc/shadow"`
 * requires `etc` and `shadow`. For `in`, each literal contributes its longest
 * fragment; a literal without one drops the whole group. Case matters.
 */
export function queryLiteralStrings(ast: Expr): string[][] | null {
  const conjuncts: Expr[] = [];
  const stack: Expr[] = [ast];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.type === 'and') for (let i = e.operands.length - 1; i >= 0; i--) stack.push(e.operands[i]);
    else conjuncts.push(e);
  }
  const groups: string[][] = [];
  const seen = new Set<string>();
  const add = (group: string[]) => {
    const key = JSON.stringify([...new Set(group)].sort());
    if (seen.has(key)) return;
    seen.add(key);
    groups.push([...new Set(group)]);
  };
  for (const c of conjuncts) {
    if (c.type !== 'compare') continue;
    if (c.op === '==' && c.value.type === 'string') {
      for (const f of fragments(c.value.value)) add([f]);
    } else if (c.op === 'in' && c.value.type === 'list' && c.value.items.length > 0) {
      const items = c.value.items;
      if (!items.every((i: Literal) => i.type === 'string')) continue;
      const alternatives: string[] = [];
      let usable = true;
      for (const item of items) {
        const parts = fragments((item as { value: string }).value);
        if (parts.length === 0) {
          usable = false;
          break;
        }
        alternatives.push(parts.reduce((a, b) => (b.length > a.length ? b : a)));
      }
      if (usable) add(alternatives);
    }
  }
  return groups.length > 0 ? groups : null;
}
