/**
 * The query AST. Every node carries the span of the query text it came from.
 * `and`/`or` are n-ary (a chain `a and b and c` is one node), so a long chain
 * is shallow; parentheses leave no node of their own (`(a and b) and c` keeps
 * the inner `and` as an operand).
 */
import { formatRawPath, type Path, type Span } from '../core/path.js';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~' | '!~' | 'in' | 'not in';

export type Literal =
  | { type: 'string'; value: string; span: Span }
  /**
   * `raw` is the number exactly as written (`18446744073709551615`, `1.50`), in
   * JSON syntax: a `0x`/`0o`/`0b` integer is kept as its decimal text.
   */
  | { type: 'number'; raw: string; span: Span }
  | { type: 'boolean'; value: boolean; span: Span }
  | { type: 'null'; span: Span }
  /** `source` is the regular expression (the `\"` escapes of `r"..."` undone). */
  | { type: 'regex'; source: string; span: Span }
  | { type: 'list'; items: Literal[]; span: Span };

export type Expr =
  | { type: 'or'; operands: Expr[]; span: Span }
  | { type: 'and'; operands: Expr[]; span: Span }
  | { type: 'not'; operand: Expr; span: Span }
  | {
      type: 'compare';
      op: CompareOp;
      path: Path;
      /** `path & mask op value`: the field's value is and-ed with `mask` first. */
      mask?: Mask;
      value: Literal;
      span: Span;
      /**
       * Set by the checker: the schema says the field is a `date-time` and the
       * strings compared are RFC 3339 date-times, compared as instants.
       */
      instant?: true;
    }
  | { type: 'exists'; path: Path; span: Span };

/** The `& mask` of a comparison: `raw` is the mask's number (decimal text, as a number literal's `raw`). */
export interface Mask {
  raw: string;
  /** The mask's number in the query. */
  span: Span;
  /** The `&`. */
  amp: Span;
}

/** `r"..."` text for a regex source: `"` is written `\"`, the rest verbatim. */
export function printRegex(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\' && i + 1 < source.length && source[i + 1] !== '"') {
      out += c + source[i + 1];
      i++;
    } else if (c === '"') {
      out += '\\"';
    } else {
      out += c;
    }
  }
  return `r"${out}"`;
}

export function printLiteral(lit: Literal): string {
  switch (lit.type) {
    case 'string':
      return JSON.stringify(lit.value);
    case 'number':
      return lit.raw;
    case 'boolean':
      return lit.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'regex':
      return printRegex(lit.source);
    case 'list':
      return `[${lit.items.map(printLiteral).join(', ')}]`;
  }
}

/**
 * Query text for an AST; `parseQuery(printQuery(ast))` gives the same AST (up to
 * spans and path texts). Parentheses are added only where precedence or the
 * nesting of `and`/`or` nodes needs them; `not` is always written `not`.
 * Iterative over long `and`/`or` chains; recursion follows the (bounded) nesting.
 */
export function printQuery(ast: Expr): string {
  switch (ast.type) {
    case 'or':
      return ast.operands.map((e) => (e.type === 'or' ? `(${printQuery(e)})` : printQuery(e))).join(' or ');
    case 'and':
      return ast.operands
        .map((e) => (e.type === 'or' || e.type === 'and' ? `(${printQuery(e)})` : printQuery(e)))
        .join(' and ');
    case 'not': {
      const inner = printQuery(ast.operand);
      return ast.operand.type === 'or' || ast.operand.type === 'and' ? `not (${inner})` : `not ${inner}`;
    }
    case 'compare':
      return `${formatRawPath(ast.path)}${ast.mask ? ` & ${ast.mask.raw}` : ''} ${ast.op} ${printLiteral(ast.value)}`;
    case 'exists':
      return `exists(${formatRawPath(ast.path)})`;
  }
}

/** Deep copy of an AST with every span (and path text) dropped, for comparisons in tests. */
export function stripSpans(ast: Expr): unknown {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (k === 'span' || k === 'text' || k === 'amp') continue;
        out[k] = strip(x);
      }
      return out;
    }
    return v;
  };
  return strip(ast);
}

/** True when some path of the query is of the envelope (`$host`): the matcher then needs the envelope. Iterative. */
export function usesEnvelope(ast: Expr): boolean {
  const stack: Expr[] = [ast];
  for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
    if (e.type === 'and' || e.type === 'or') stack.push(...e.operands);
    else if (e.type === 'not') stack.push(e.operand);
    else if (e.path.envelope === true) return true;
  }
  return false;
}
