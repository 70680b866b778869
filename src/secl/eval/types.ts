/**
 * The evaluator's types: the public interface (`FieldSource`, `FieldInfo`, options) and the
 * compiled operands (`Op`), with the helpers every operator module shares.
 */
import type { ArrayNode, ListNode, MacroNode, Node, Span } from '../ast.js';
import type { ConstantValue } from '../constants.js';
import { seclError, type SeclError, type SeclErrorCode } from '../errors.js';
import type { IPNet } from '../ip.js';
import type { ValueType } from '../match.js';

/** A field value as the event holds it. */
export type SeclScalar = string | number | bigint | boolean;

/** The event, as SECL sees it. */
export interface FieldSource {
  /** The values of a SECL field: one for a scalar, several for an array or iterator field. */
  get(field: string): readonly SeclScalar[] | undefined;
  /** The event's own time in nanoseconds since the epoch (durations compare against it). */
  now?(): bigint | number | undefined;
  /** The values of a `${variable}`. */
  variable?(name: string): readonly SeclScalar[] | undefined;
  /**
   * The field values read so far from this event, shared by every rule evaluated on it (a
   * policy's rules read the same fields); without it each evaluation has its own.
   */
  readonly fieldCache?: Map<string, readonly SeclScalar[]>;
}

export type FieldType = 'string' | 'int' | 'bool' | 'ip';

export interface FieldInfo {
  type: FieldType;
  /** Several values: an array field (`process.argv`) or an iterator (`process.ancestors.*`). */
  array?: boolean;
  /** Patterns are globs on this field (the agent's `GlobCmp`, on file paths). */
  glob?: boolean;
  /** Comparisons ignore case (the agent's `CaseInsensitiveCmp`, e.g. `dns.question.name`). */
  caseInsensitive?: boolean;
}

export interface CompileOptions {
  /** The model: a field's type, or undefined if there is no such field. */
  fields?: (name: string) => FieldInfo | undefined;
  /** Names offered as suggestions for an unknown field. */
  fieldNames?: Iterable<string>;
  /**
   * Fields compared case-insensitively (in addition to `FieldInfo.caseInsensitive`);
   * defaults to the agent's (`AGENT_CASE_INSENSITIVE_FIELDS`: `dns.question.name`).
   */
  caseInsensitiveFields?: ReadonlySet<string>;
  /** Legacy field names and what they stand for; defaults to the agent's (`SECL_LEGACY_FIELDS`). */
  legacyFields?: Readonly<Record<string, string>>;
  /** Defaults to the agent's constants (`SECL_CONSTANTS`). */
  constants?: ReadonlyMap<string, ConstantValue>;
  /** Macros by id: their expression (or parsed body). */
  macros?: ReadonlyMap<string, string | MacroNode>;
  /** Declared `${variables}`: a variable's type, or undefined if there is none. */
  variables?: (name: string) => FieldInfo | undefined;
}

export type Predicate = (event: FieldSource) => boolean;

/**
 * A necessary condition of a rule, found at compile time: the rule can hold only if a string
 * field's value (one of its values, for an array or iterator field) is one of `values`. Rule
 * engines index rules by it (the agent's approvers, for the evaluator): a rule whose guard
 * fails on an event is false there without being run. `read` gives exactly what the rule's
 * own comparison reads.
 */
export interface RuleGuard {
  field: string;
  array: boolean;
  values: ReadonlySet<string>;
  read: (event: FieldSource) => string | readonly string[];
}

/** A compiled rule: the predicate, the fields it reads, and its guard if it has one. */
export interface CompiledRule {
  match: Predicate;
  fields: string[];
  guard?: RuleGuard;
}

// ---------------------------------------------------------------------------------------
// Evaluation context and operands

export interface Ctx {
  src: FieldSource;
  cache: Map<string, readonly SeclScalar[]>;
  now: bigint | undefined;
  nowRead: boolean;
}

export type VT = ValueType | 'variable';

export interface Common {
  /** Set when the operand reads a field (drives the choice of matcher, as `Field` does in the agent). */
  field?: string;
  /** A constant: `fn` ignores the context. */
  isStatic?: boolean;
  span: Span;
}

export interface BoolOp extends Common {
  t: 'bool';
  fn: (c: Ctx) => boolean;
  /** A necessary condition: true only if the field's value (or one of them) is in `values`. */
  guard?: Guard;
}

/** The compile-time form of `RuleGuard`: `read` is the field operand's own function. */
export interface Guard {
  field: string;
  array: boolean;
  values: ReadonlySet<string>;
  read: (c: Ctx) => string | string[];
}
export interface IntOp extends Common { t: 'int'; fn: (c: Ctx) => bigint; duration?: boolean; arith?: boolean }
export interface StrOp extends Common {
  t: 'string';
  fn: (c: Ctx) => string;
  vt: VT;
  /** The text, when static. */
  value?: string;
  glob?: boolean;
  ci?: boolean;
}
export interface IPOp extends Common { t: 'ip'; fn: (c: Ctx) => IPNet | undefined }
export interface BoolsOp extends Common { t: 'bools'; fn: (c: Ctx) => boolean[] }
export interface IntsOp extends Common { t: 'ints'; fn: (c: Ctx) => bigint[] }
export interface StrsOp extends Common { t: 'strings'; fn: (c: Ctx) => string[]; glob?: boolean; ci?: boolean }
export interface IPsOp extends Common { t: 'ips'; fn: (c: Ctx) => IPNet[] }
/** A literal list of strings, patterns, regexps (the agent's `StringValuesEvaluator`). */
export interface StrValuesOp extends Common { t: 'strvalues'; members: { vt: VT; value: string; span: Span }[] }
/** A literal list of IPs and CIDRs (the agent's `CIDRValuesEvaluator`). */
export interface CIDRValuesOp extends Common { t: 'cidrvalues'; nets: IPNet[] }

export type Op = BoolOp | IntOp | StrOp | IPOp | BoolsOp | IntsOp | StrsOp | IPsOp | StrValuesOp | CIDRValuesOp;

export const TYPE_NAMES: Record<Op['t'], string> = {
  bool: 'a boolean',
  int: 'an integer',
  string: 'a string',
  ip: 'an IP',
  bools: 'a list of booleans',
  ints: 'a list of integers',
  strings: 'a list of strings',
  ips: 'a list of IPs',
  strvalues: 'a list of strings',
  cidrvalues: 'a list of IPs/CIDRs',
};

export class CompileFailure {
  constructor(readonly error: SeclError) {}
}

export function fail(code: SeclErrorCode, message: string, span: Span, extra: { expected?: string; found?: string; suggestion?: string } = {}): never {
  throw new CompileFailure(seclError(code, message, span, extra));
}

export const MASK64 = (x: bigint): bigint => BigInt.asIntN(64, x);

export interface Compiler {
  opts: CompileOptions;
  constants: ReadonlyMap<string, ConstantValue>;
  macroOps: Map<string, Op>;
  compilingMacros: Set<string>;
  fields: Set<string>;
  /** Register -> the iterator it names (`process.ancestors` for `process.ancestors[A].pid`). */
  registers: Map<string, string>;
  /** The node compiler (`compile.ts`), reached from macros without an import cycle. */
  nodeOp: (cp: Compiler, n: Node) => Op;
  /** The right side of `in` and a macro's list body (`lists.ts`). */
  arrayOp: (cp: Compiler, a: ArrayNode | ListNode) => Op;
}

export function typeError(op: Op, want: string, span: Span): never {
  return fail('type', `expected ${want}, found ${TYPE_NAMES[op.t]}`, span, { expected: want, found: TYPE_NAMES[op.t] });
}

export function opError(op: string, left: Op, span: Span): never {
  return fail('operand', `'${op}' cannot be applied to ${TYPE_NAMES[left.t]}`, span);
}

export function staticBool(v: boolean, span: Span): BoolOp {
  return { t: 'bool', fn: () => v, isStatic: true, span };
}

export function bothStatic(a: Op, b: Op): boolean {
  return a.isStatic === true && b.isStatic === true;
}

export function not(b: BoolOp): BoolOp {
  const f = b.fn;
  return { t: 'bool', fn: (c) => !f(c), isStatic: b.isStatic, span: b.span };
}

export function mkBool(fn: (c: Ctx) => boolean, isStatic: boolean, span: Span): BoolOp {
  return { t: 'bool', fn, isStatic, span };
}

/** `b`, or its negation (`!=`, `!~`, `not in`), spanning `span`. */
export function negateIf(negate: boolean, b: BoolOp, span: Span): BoolOp {
  return negate ? { ...not(b), span } : { ...b, span };
}
