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
 * - `& mask` (`operand`): the mask is a non-negative integer literal, and the
 *   result, an integer, is compared with `== != < <= > >=` to a number (or
 *   `in`/`not in` a list of numbers); with a schema (`type`), the field must be
 *   able to hold an integer (`integer` or `number`);
 * - instants (`operand`), with a schema: a field whose format is `date-time`
 *   compared (`== != < <= > >= in`) with a string: the string must be an RFC 3339
 *   date-time, and the comparison is marked `instant` (compared as instants);
 * - types (`type`), with a schema: a field the schema types (say, `integer`)
 *   compared with a literal of another type (say, `"1"`) can never match,
 *   since values are never converted. `null` is always allowed (a field may
 *   be present with a null value). Array fields are checked by their elements.
 */
import { RE2JS } from 're2js';
import { describeTypes, resolvePath, type SchemaIndex, type SchemaNode } from '../core/schema-index.js';
import type { Path, Span } from '../core/path.js';
import { resolveEnvelopePath } from '../core/shapes/envelope.js';
import type { CompareOp, Expr, Literal } from './ast.js';
import { queryError, type QueryError } from './errors.js';
import { compileGlob } from './glob.js';
import { exactInteger } from '../core/json/decimal.js';
import { parseRfc3339Instant } from '../core/formats.js';

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
    ? { start: lit.span.start + 1 + g.error.span.start, end: lit.span.start + 1 + Math.max(g.error.span.start + 1, g.error.span.end) }
    : lit.span;
  return queryError('glob', `invalid glob: ${g.error.message}`, span);
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
  const checker = new Checker(options.schema ?? null);
  const checked = checker.visit(ast);
  const errors = checker.errors;
  if (errors.length > 0) {
    errors.sort((a, b) => a.span.start - b.span.start);
    return { ok: false, errors };
  }
  return { ok: true, ast: checked };
}

/** Walks the AST once, collecting every error (in the order found; `checkQuery` sorts them by position). */
class Checker {
  readonly errors: QueryError[] = [];

  constructor(private readonly schema: SchemaIndex | null) {}

  /**
   * The AST with resolved paths. Kept small (the work is in `visitAll` and
   * `compare`): it recurses once per level of nesting, and a small frame keeps
   * a deep `not` chain clear of a stack overflow.
   */
  visit(e: Expr): Expr {
    switch (e.type) {
      case 'or':
      case 'and':
        return { type: e.type, operands: this.visitAll(e.operands), span: e.span };
      case 'not':
        return { type: 'not', operand: this.visit(e.operand), span: e.span };
      case 'exists':
        return { type: 'exists', path: this.resolve(e.path).path, span: e.span };
      case 'compare':
        return this.compare(e);
    }
  }

  private visitAll(operands: Expr[]): Expr[] {
    const out: Expr[] = [];
    for (let i = 0; i < operands.length; i++) out.push(this.visit(operands[i]));
    return out;
  }

  private compare(e: Extract<Expr, { type: 'compare' }>): Expr {
    const r = this.resolve(e.path);
    if (e.mask !== undefined) {
      this.masked(e, r.path, r.node);
      return { type: 'compare', op: e.op, path: r.path, mask: e.mask, value: e.value, span: e.span };
    }
    const before = this.errors.length;
    this.operand(e.op, e.value, r.path, r.node);
    const instant = this.errors.length === before && this.instants(e.op, e.value, r.path, r.node);
    return { type: 'compare', op: e.op, path: r.path, value: e.value, span: e.span, ...(instant ? { instant: true } : {}) };
  }

  /** `path & mask op value`: an integer mask, a field that can hold integers, numbers to compare with. */
  private masked(e: Extract<Expr, { type: 'compare' }>, path: Path, node: SchemaNode | undefined): void {
    const mask = e.mask!;
    const n = exactInteger(mask.raw);
    if (n === null || n < 0n) {
      this.errors.push(
        queryError(
          'operand',
          `the operand of '&' must be a non-negative integer (decimal, 0x, 0o or 0b), not ${mask.raw}`,
          mask.span,
          { expected: 'a non-negative integer', found: mask.raw },
        ),
      );
    }
    const types = effectiveTypes(node);
    if (types && !types.has('integer') && !types.has('number')) {
      this.errors.push(
        queryError(
          'type',
          `type mismatch: '${path.text}' is ${describeTypes([...types])} in the schema, so it is never an integer to '&' with`,
          mask.amp,
          { expected: 'an integer field', found: describeTypes([...types]) },
        ),
      );
    }
    const items = e.op === 'in' || e.op === 'not in' ? (e.value.type === 'list' ? e.value.items : null) : [e.value];
    if (e.op === '=~' || e.op === '!~' || items === null) {
      const message =
        items === null
          ? `expected a list of numbers after '${e.op}', found ${literalKind(e.value)}`
          : `'${e.op}' matches strings, but '${path.text} & ${mask.raw}' is an integer: compare it with ==, !=, <, <=, >, >= or in`;
      return this.operandError(e.value, message, items === null ? 'a list' : 'a comparison of numbers', literalKind(e.value));
    }
    for (const item of items) {
      if (item.type !== 'number') {
        const message = `'${path.text} & ${mask.raw}' is an integer: compare it with a number, not ${literalKind(item)}`;
        this.operandError(item, message, 'a number', literalKind(item));
      }
    }
  }

  /**
   * True when the comparison is one of instants: the schema says the field is a
   * `date-time` and the strings compared are RFC 3339 date-times (one that is not
   * is an error). Not for `=~`/`!~`, which match the text.
   */
  private instants(op: CompareOp, value: Literal, path: Path, node: SchemaNode | undefined): boolean {
    if (node === undefined || op === '=~' || op === '!~') return false;
    const format = node.format ?? (node.types.includes('array') ? node.items?.format : undefined);
    if (format !== 'date-time') return false;
    const items = value.type === 'list' ? value.items : [value];
    let any = false;
    for (const item of items) {
      if (item.type !== 'string') continue;
      any = true;
      if (parseRfc3339Instant(item.value) === null) {
        this.errors.push(
          queryError(
            'operand',
            `'${path.text}' is a date-time, so ${JSON.stringify(item.value)} must be an RFC 3339 date-time (like "2024-08-01T06:00:00Z" or "2024-08-01T08:00:00.5+02:00") to compare with`,
            item.span,
            { expected: 'an RFC 3339 date-time', found: JSON.stringify(item.value) },
          ),
        );
      }
    }
    return any;
  }

  /** A path against the schema; a path that does not resolve is kept as written (its error is recorded). */
  private resolve(path: Path): { path: Path; node: SchemaNode | undefined } {
    const r = path.envelope === true ? resolveEnvelopePath(path) : resolvePath(this.schema, path);
    if (r.ok) return { path: r.path, node: r.node };
    const e = r.error;
    this.errors.push(queryError(e.code, e.message, e.span, e.suggestion ? { suggestion: e.suggestion } : {}));
    return { path, node: undefined };
  }

  /** The value after `op`: its shape for the operator, then its type for the field. */
  private operand(op: CompareOp, value: Literal, path: Path, node: SchemaNode | undefined): void {
    if (op === 'in' || op === 'not in') return this.listOperand(op, value, path, node);
    if (value.type === 'list') {
      const message = `a list can only follow 'in' or 'not in', not '${op}'`;
      return this.operandError(value, message, 'a single value', 'a list');
    }
    if (op === '=~' || op === '!~') return this.matchOperand(op, value, path, node);
    if (value.type === 'regex') {
      const message = `a regex literal can only follow '=~' or '!~', not '${op}'`;
      return this.operandError(value, message, 'a string, number, boolean or null', 'a regex literal');
    }
    if (ORDER_OPS.has(op) && value.type !== 'number' && value.type !== 'string') {
      const message = `'${op}' compares numbers or strings, not ${literalKind(value)}`;
      return this.operandError(value, message, 'a number or a string', literalKind(value));
    }
    this.type(op, value, path, node);
  }

  /** `in` / `not in`: a list of strings, numbers, booleans and null, each typed like the field. */
  private listOperand(op: CompareOp, value: Literal, path: Path, node: SchemaNode | undefined): void {
    if (value.type !== 'list') {
      const message = `expected a list after '${op}', found ${literalKind(value)} (write ${op} [...])`;
      return this.operandError(value, message, 'a list', literalKind(value));
    }
    for (const item of value.items) {
      if (item.type === 'list' || item.type === 'regex') {
        const message = `a list holds strings, numbers, booleans and null, not ${literalKind(item)}`;
        this.operandError(item, message, 'a string, number, boolean or null', literalKind(item));
      } else {
        this.type(op, item, path, node);
      }
    }
  }

  /** `=~` / `!~`: a glob string or a regex literal, which must compile. */
  private matchOperand(op: CompareOp, value: Literal, path: Path, node: SchemaNode | undefined): void {
    let error: QueryError | null;
    if (value.type === 'regex') {
      error = checkRegex(value);
    } else if (value.type === 'string') {
      error = checkGlob(value);
    } else {
      const message = `expected a glob string "..." or a regex r"..." after '${op}', found ${literalKind(value)}`;
      return this.operandError(value, message, 'a glob string or a regex literal', literalKind(value));
    }
    if (error) this.errors.push(error);
    this.type(op, value, path, node);
  }

  /** A literal the schema says the field never holds: the comparison's outcome is known in advance. */
  private type(op: CompareOp, value: Literal, path: Path, node: SchemaNode | undefined): void {
    const types = effectiveTypes(node);
    if (!types || accepts(types, value)) return;
    const never = op === '!=' || op === '!~' || op === 'not in' ? 'always holds' : 'never matches';
    this.errors.push(
      queryError(
        'type',
        `type mismatch: '${path.text}' is ${describeTypes([...types])} in the schema, so '${op}' with ${literalKind(value)} ${never} (values are never converted)`,
        value.span,
        { expected: describeTypes([...types]), found: literalKind(value) },
      ),
    );
  }

  /** An `operand` error on `value`. */
  private operandError(value: Literal, message: string, expected: string, found: string): void {
    this.errors.push(queryError('operand', message, value.span, { expected, found }));
  }
}
