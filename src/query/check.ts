/**
 * Query checker: AST -> AST with schema-resolved paths, or every error found
 * (not only the first). Checks:
 *
 * - field paths, against the schema when there is one (`unknown-field`, with a
 *   suggestion; `path` for a step that cannot apply, e.g. `[0]` on a string);
 * - operands (`operand`): `in`/`not in` need a list; a list only follows `in`;
 *   lists hold strings, numbers, booleans and null (no nested lists, no
 *   regexes); `=~`/`!~` need a glob string or a regex literal, and a regex
 *   literal only follows them; `< <= > >=` need a number or a string;
 * - regexes (`regex`): RE2 must accept them (no backreferences, no lookaround);
 *   the error points into the pattern when RE2 names the offending part;
 * - globs (`glob`): classes must be closed and ranges ordered;
 * - types (`type`), with a schema: a field the schema types (say, `integer`)
 *   compared with a literal of another type (say, `"1"`) can never match,
 *   since values are never converted. `null` is always allowed (a field may
 *   be present with a null value). Array fields are checked by their elements.
 */
import { RE2JS } from 're2js';
import { describeTypes, resolvePath, type SchemaIndex, type SchemaNode } from '../core/schema-index.js';
import type { Path, Span } from '../core/path.js';
import type { CompareOp, Expr, Literal } from './ast.js';
import { queryError, type QueryError } from './errors.js';
import { compileGlob } from './glob.js';

export interface CheckOptions {
  /** Resolve paths and check types against this schema; without it, paths are taken literally. */
  schema?: SchemaIndex | null;
}

export type CheckResult = { ok: true; ast: Expr } | { ok: false; errors: QueryError[] };

function literalKind(lit: Literal): string {
  switch (lit.type) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'null':
      return 'null';
    case 'regex':
      return 'a regex literal';
    case 'list':
      return 'a list';
  }
}

/** Offset in the query of character `at` of a regex literal's source. */
function regexOffset(lit: Literal & { type: 'regex' }, at: number): number {
  let quotes = 0;
  for (let i = 0; i < at && i < lit.source.length; i++) if (lit.source[i] === '"') quotes++;
  return lit.span.start + 2 + at + quotes;
}

/** RE2's verdict on a regex literal, as a query error (or null if it compiles). */
export function checkRegex(lit: Literal & { type: 'regex' }): QueryError | null {
  try {
    RE2JS.compile(lit.source);
    return null;
  } catch (e) {
    const err = e as Error & { getDescription?: () => string; getPattern?: () => string | null };
    const desc = typeof err.getDescription === 'function' ? err.getDescription() : err.message;
    const part = typeof err.getPattern === 'function' ? err.getPattern() : null;
    let span: Span = lit.span;
    if (part) {
      const at = lit.source.indexOf(part);
      if (at >= 0) {
        const start = regexOffset(lit, at);
        span = { start, end: regexOffset(lit, at + part.length) };
        if (span.end <= start) span = { start, end: start + 1 };
      }
    }
    const hint = /Perl syntax|escape sequence|named capture/.test(desc)
      ? ' (RE2 syntax: no lookaround, no backreferences)'
      : '';
    const shown = part && part.length <= 40 ? `: \`${part}\`` : '';
    return queryError('regex', `invalid regex: ${desc}${shown}${hint}`, span);
  }
}

function checkGlob(lit: Literal & { type: 'string' }): QueryError | null {
  const g = compileGlob(lit.value);
  if (g.ok) return null;
  // without escapes in the literal, offsets in the value are offsets in the query; else mark the literal
  const plain = lit.span.end - lit.span.start - 2 === lit.value.length;
  const span = plain
    ? { start: lit.span.start + 1 + g.offset, end: lit.span.start + 1 + g.offset + Math.max(1, g.length) }
    : lit.span;
  return queryError('glob', `invalid glob: ${g.message}`, span);
}

const ORDER_OPS: ReadonlySet<CompareOp> = new Set(['<', '<=', '>', '>=']);

/** The types a comparison sees at a node: array fields are fanned out to their elements. */
function effectiveTypes(node: SchemaNode | undefined): Set<string> | null {
  if (!node || node.types.length === 0) return null;
  const out = new Set<string>();
  for (const t of node.types) {
    if (t === 'array') {
      const items = node.items;
      if (!items || items.types.length === 0) return null;
      for (const it of items.types) out.add(it === 'array' ? 'array' : it);
    } else {
      out.add(t);
    }
  }
  return out;
}

function accepts(types: Set<string>, lit: Literal): boolean {
  switch (lit.type) {
    case 'string':
    case 'regex':
      return types.has('string');
    case 'number':
      return types.has('number') || types.has('integer');
    case 'boolean':
      return types.has('boolean');
    default:
      return true;
  }
}

export function checkQuery(ast: Expr, options: CheckOptions = {}): CheckResult {
  const errors: QueryError[] = [];
  const schema = options.schema ?? null;

  const resolve = (path: Path): { path: Path; node: SchemaNode | undefined } => {
    const r = resolvePath(schema, path);
    if (r.ok) return { path: r.path, node: r.node };
    errors.push(
      queryError(r.error.code, r.error.message, r.error.span, r.error.suggestion ? { suggestion: r.error.suggestion } : {}),
    );
    return { path, node: undefined };
  };

  const checkValue = (op: CompareOp, value: Literal, path: Path, node: SchemaNode | undefined): void => {
    const isIn = op === 'in' || op === 'not in';
    const isMatch = op === '=~' || op === '!~';
    if (isIn) {
      if (value.type !== 'list') {
        errors.push(
          queryError('operand', `expected a list after '${op}', found ${literalKind(value)} (write ${op} [...])`, value.span, {
            expected: 'a list',
            found: literalKind(value),
          }),
        );
        return;
      }
      for (const item of value.items) {
        if (item.type === 'list' || item.type === 'regex') {
          errors.push(
            queryError('operand', `a list holds strings, numbers, booleans and null, not ${literalKind(item)}`, item.span, {
              expected: 'a string, number, boolean or null',
              found: literalKind(item),
            }),
          );
        } else {
          checkType(op, item, path, node);
        }
      }
      return;
    }
    if (value.type === 'list') {
      errors.push(
        queryError('operand', `a list can only follow 'in' or 'not in', not '${op}'`, value.span, {
          expected: 'a single value',
          found: 'a list',
        }),
      );
      return;
    }
    if (isMatch) {
      if (value.type === 'regex') {
        const e = checkRegex(value);
        if (e) errors.push(e);
      } else if (value.type === 'string') {
        const e = checkGlob(value);
        if (e) errors.push(e);
      } else {
        errors.push(
          queryError(
            'operand',
            `expected a glob string "..." or a regex r"..." after '${op}', found ${literalKind(value)}`,
            value.span,
            { expected: 'a glob string or a regex literal', found: literalKind(value) },
          ),
        );
        return;
      }
      checkType(op, value, path, node);
      return;
    }
    if (value.type === 'regex') {
      errors.push(
        queryError('operand', `a regex literal can only follow '=~' or '!~', not '${op}'`, value.span, {
          expected: 'a string, number, boolean or null',
          found: 'a regex literal',
        }),
      );
      return;
    }
    if (ORDER_OPS.has(op) && value.type !== 'number' && value.type !== 'string') {
      errors.push(
        queryError('operand', `'${op}' compares numbers or strings, not ${literalKind(value)}`, value.span, {
          expected: 'a number or a string',
          found: literalKind(value),
        }),
      );
      return;
    }
    checkType(op, value, path, node);
  };

  const checkType = (op: CompareOp, value: Literal, path: Path, node: SchemaNode | undefined): void => {
    const types = effectiveTypes(node);
    if (!types || accepts(types, value)) return;
    const never = op === '!=' || op === '!~' || op === 'not in' ? 'always holds' : 'never matches';
    errors.push(
      queryError(
        'type',
        `type mismatch: '${path.text}' is ${describeTypes([...types])} in the schema, so '${op}' with ${literalKind(value)} ${never} (values are never converted)`,
        value.span,
        { expected: describeTypes([...types]), found: literalKind(value) },
      ),
    );
  };

  const visit = (e: Expr): Expr => {
    switch (e.type) {
      case 'or':
      case 'and':
        return { type: e.type, operands: e.operands.map(visit), span: e.span };
      case 'not':
        return { type: 'not', operand: visit(e.operand), span: e.span };
      case 'exists': {
        const r = resolve(e.path);
        return { type: 'exists', path: r.path, span: e.span };
      }
      case 'compare': {
        const r = resolve(e.path);
        checkValue(e.op, e.value, r.path, r.node);
        return { type: 'compare', op: e.op, path: r.path, value: e.value, span: e.span };
      }
    }
  };

  const checked = visit(ast);
  if (errors.length > 0) {
    errors.sort((a, b) => a.span.start - b.span.start);
    return { ok: false, errors };
  }
  return { ok: true, ast: checked };
}
