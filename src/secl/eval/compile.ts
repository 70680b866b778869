/**
 * The compile driver: AST nodes to operands (`eval.go`, `nodeToEvaluator`), and the entry
 * points `compile`, `compileRule`.
 */
import type { ListNode, Node, Span } from '../ast.js';
import { SECL_CONSTANTS } from '../constants.js';
import { seclError, type Result } from '../errors.js';
import { parseRule } from '../parser.js';
import { arithOp, bitOp, unaryInt } from './ints.js';
import { ipLiteral } from './ips.js';
import { arrayOp } from './lists.js';
import { identOp } from './operands.js';
import { compareOp, inOp } from './operators.js';
import { interpolatedOp, variableOp } from './variables.js';
import {
  CompileFailure,
  TYPE_NAMES,
  bothStatic,
  fail,
  mkBool,
  not,
  typeError,
  type BoolOp,
  type CompileOptions,
  type CompiledRule,
  type Compiler,
  type Ctx,
  type FieldInfo,
  type FieldSource,
  type Guard,
  type IntOp,
  type Op,
  type Predicate,
} from './types.js';

/**
 * The guard of `a || b`: both guards on the same field read the same way, their values
 * together (either side can hold only if the field's value is one of them); else none.
 */
function eitherGuard(a: Guard | undefined, b: Guard | undefined): Guard | undefined {
  if (a === undefined || b === undefined || a.field !== b.field || a.array !== b.array) return undefined;
  return { ...a, values: new Set([...a.values, ...b.values]) };
}

function asBool(op: Op, span: Span): BoolOp {
  if (op.t !== 'bool') return typeError(op, 'a boolean', span);
  return op;
}

function asInt(op: Op, span: Span): IntOp {
  if (op.t !== 'int') return typeError(op, 'an integer', span);
  return op;
}

/** Operators: boolean, unary, bit, arithmetic, comparison, `in`. */
function operatorOp(cp: Compiler, n: Node): Op | undefined {
  switch (n.kind) {
    case 'bool': {
      const l = asBool(nodeOp(cp, n.left), n.left.span);
      const r = asBool(nodeOp(cp, n.right), n.right.span);
      const lf = l.fn;
      const rf = r.fn;
      const fn = n.op === '&&' ? (c: Ctx) => lf(c) && rf(c) : (c: Ctx) => lf(c) || rf(c);
      const guard = n.op === '&&' ? (l.guard ?? r.guard) : eitherGuard(l.guard, r.guard);
      return guard === undefined ? mkBool(fn, bothStatic(l, r), n.span) : { ...mkBool(fn, bothStatic(l, r), n.span), guard };
    }
    case 'unary': {
      const o = nodeOp(cp, n.operand);
      if (n.op === '!' || n.op === 'not') return { ...not(asBool(o, n.operand.span)), span: n.span };
      return unaryInt(n.op, asInt(o, n.operand.span), n.span);
    }
    case 'bitop': {
      const l = asInt(nodeOp(cp, n.left), n.left.span);
      const r = asInt(nodeOp(cp, n.right), n.right.span);
      return bitOp(n.op, l, r, n.span);
    }
    case 'arith': {
      const first = asInt(nodeOp(cp, n.first), n.first.span);
      const rest = n.rest.map((r) => ({ op: r.op, operand: asInt(nodeOp(cp, r.operand), r.operand.span) }));
      return arithOp(first, rest, n.span);
    }
    case 'compare':
      return compareOp(n.op, nodeOp(cp, n.left), nodeOp(cp, n.right), n.span, n.opSpan);
    case 'in':
      return inOp(n.op, nodeOp(cp, n.left), arrayOp(cp, n.right), n.span);
    default:
      return undefined;
  }
}

function nodeOp(cp: Compiler, n: Node): Op {
  switch (n.kind) {
    case 'paren':
      return nodeOp(cp, n.expr);
    case 'ident':
      return identOp(cp, n.name, n.span);
    case 'int':
      return { t: 'int', fn: () => n.value, isStatic: true, span: n.span };
    case 'duration':
      return { t: 'int', fn: () => n.value, isStatic: true, duration: true, span: n.span };
    case 'string':
      if (/\$\{[^}]*\}/.test(n.value)) return interpolatedOp(cp, n.value, n.span);
      return { t: 'string', fn: () => n.value, isStatic: true, value: n.value, vt: 'scalar', span: n.span };
    case 'pattern':
      return { t: 'string', fn: () => n.value, isStatic: true, value: n.value, vt: 'pattern', span: n.span };
    case 'regexp':
      return { t: 'string', fn: () => n.value, isStatic: true, value: n.value, vt: 'regexp', span: n.span };
    case 'ip':
    case 'cidr': {
      const net = ipLiteral(n.value, n.kind === 'ip' ? 'IP' : 'CIDR', n.span);
      return { t: 'ip', fn: () => net, isStatic: true, span: n.span };
    }
    case 'variable':
      return variableOp(cp, n.name, n.span);
  }
  return operatorOp(cp, n) ?? fail('syntax', 'unknown node', (n as { span: Span }).span);
}

function newCompiler(opts: CompileOptions): Compiler {
  return {
    opts,
    constants: opts.constants ?? SECL_CONSTANTS,
    macroOps: new Map(),
    compilingMacros: new Set(),
    fields: new Set(),
    registers: new Map(),
    nodeOp,
    arrayOp,
  };
}

/** Compiles a parsed rule expression. */
export function compile(node: Node, opts: CompileOptions = {}): Result<CompiledRule> {
  const cp = newCompiler(opts);
  try {
    const op = nodeOp(cp, node);
    if (op.t !== 'bool') {
      return { ok: false, errors: [seclError('type', `a rule must be a boolean expression, found ${TYPE_NAMES[op.t]}`, node.span, { expected: 'a boolean', found: TYPE_NAMES[op.t] })] };
    }
    const fn = op.fn;
    const match: Predicate = (event) => fn({ src: event, cache: event.fieldCache ?? new Map(), now: undefined, nowRead: false });
    const fields = [...cp.fields].sort();
    const g = op.guard;
    if (g === undefined) return { ok: true, value: { match, fields } };
    const read = g.read;
    const guard = { field: g.field, array: g.array, values: g.values, read: (event: FieldSource) => read({ src: event, cache: event.fieldCache ?? new Map(), now: undefined, nowRead: false }) };
    return { ok: true, value: { match, fields, guard } };
  } catch (e) {
    if (e instanceof CompileFailure) return { ok: false, errors: [e.error] };
    if (e instanceof RangeError) {
      return { ok: false, errors: [seclError('syntax', 'expression too deeply nested', node.span)] };
    }
    throw e;
  }
}

/** Parses and compiles a rule expression. */
export function compileRule(expression: string, opts: CompileOptions = {}): Result<CompiledRule> {
  const parsed = parseRule(expression);
  if (!parsed.ok) return parsed;
  return compile(parsed.value, opts);
}

/**
 * The body of a policy macro given by `values:` instead of `expression:` (the agent's
 * `NewStringValuesMacro`): a list of plain strings, no patterns.
 */
export function valuesMacro(values: readonly string[]): ListNode {
  const z = { start: 0, end: 0 };
  return { kind: 'list', family: 'string', items: values.map((value) => ({ kind: 'string', value, span: z })), span: z };
}

/** A field resolver from a plain table (tests, small tools). */
export function fieldsFrom(table: Readonly<Record<string, FieldInfo>>): (name: string) => FieldInfo | undefined {
  return (name) => (Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined);
}
