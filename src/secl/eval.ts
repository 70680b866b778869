/**
 * SECL evaluator: AST -> `(event: FieldSource) => boolean`, with the semantics of the
 * agent's `pkg/security/secl/compiler/eval/` (`eval.go` for the operator/type table,
 * `operators.go` and its generated `eval_operators.go` for each operator, `strings.go`,
 * `pattern.go`, `glob.go`, `cidr.go`, `oo_glob_cmp.go`, `oo_case_insensitive.go`).
 *
 * The event is seen through `FieldSource`: a field resolves to zero or more values.
 * Types come from `CompileOptions.fields` (the model), as in the agent where every
 * field has a static type: a scalar field with no value reads as its zero value
 * (`""`, `0`, `false`, no IP), an array/iterator field with no value is empty.
 *
 * Semantics kept from the agent (each has a test named after it):
 * - on an array or iterator field, `==`, `=~`, `in`, `<`... hold if ANY element matches,
 *   and `!=`, `!~`, `not in` are their negation: NO element matches (`eval.go`: `Not(...)`);
 * - pattern/regexp matching only applies when one side is a field (or the list form
 *   `in [...]`): `"abc" == ~"a*"` is a plain comparison of two strings, false;
 * - `=~`/`!~` read a plain string on the right as a pattern; the right side must be static;
 * - on path fields (`glob`) patterns are globs; on case-insensitive fields strings,
 *   patterns and regexps compare case-insensitively;
 * - `allin` is `in` except on IP arrays, where it requires EVERY field IP to match EVERY
 *   listed network (`cidr.go`, `MatchAll`);
 * - `ipArray == CIDR` checks that an element CONTAINS the literal (one direction), while
 *   `ip == CIDR` and `in` are `IPNetsMatch` (either contains the other's address);
 * - `field < 5s` (a duration on the right) compares `now - field` with the duration, `now`
 *   being the event's own time (`FieldSource.now`); after `+`/`-` (`a - b < 5s`) it is a
 *   plain comparison; `!=` with a duration, and `==` on an array, are type errors;
 * - `&`, `|`, `^` refuse two non-constant operands ("full dynamic bitmask operation");
 * - integers are 64-bit and wrap; `.length` of a string is its length in UTF-8 bytes;
 * - a register (`process.ancestors[A].comm`) is checked but binds nothing: each condition
 *   holds for any element (the model's generated accessors ignore the register).
 */
import type { ArrayNode, ListNode, MacroNode, Node, Span } from './ast.js';
import { SECL_CONSTANTS, type ConstantValue } from './constants.js';
import { seclError, type Result, type SeclError, type SeclErrorCode } from './errors.js';
import { contains, ipNetsMatch, parseCIDR, type IPNet } from './ip.js';
import { equalFold, newMatcher, type Matcher, type ValueType } from './match.js';
import { AGENT_CASE_INSENSITIVE_FIELDS, SECL_LEGACY_FIELDS } from './model.js';
import { parseMacro, parseRule } from './parser.js';

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

/** A compiled rule: the predicate and the fields it reads. */
export interface CompiledRule {
  match: Predicate;
  fields: string[];
}

// ---------------------------------------------------------------------------------------
// Evaluation context and operands

interface Ctx {
  src: FieldSource;
  cache: Map<string, readonly SeclScalar[]>;
  now: bigint | undefined;
  nowRead: boolean;
}

type VT = ValueType | 'variable';

interface Common {
  /** Set when the operand reads a field (drives the choice of matcher, as `Field` does in the agent). */
  field?: string;
  /** A constant: `fn` ignores the context. */
  isStatic?: boolean;
  span: Span;
}

interface BoolOp extends Common { t: 'bool'; fn: (c: Ctx) => boolean }
interface IntOp extends Common { t: 'int'; fn: (c: Ctx) => bigint; duration?: boolean; arith?: boolean }
interface StrOp extends Common {
  t: 'string';
  fn: (c: Ctx) => string;
  vt: VT;
  /** The text, when static. */
  value?: string;
  glob?: boolean;
  ci?: boolean;
}
interface IPOp extends Common { t: 'ip'; fn: (c: Ctx) => IPNet | undefined }
interface BoolsOp extends Common { t: 'bools'; fn: (c: Ctx) => boolean[] }
interface IntsOp extends Common { t: 'ints'; fn: (c: Ctx) => bigint[] }
interface StrsOp extends Common { t: 'strings'; fn: (c: Ctx) => string[]; glob?: boolean; ci?: boolean }
interface IPsOp extends Common { t: 'ips'; fn: (c: Ctx) => IPNet[] }
/** A literal list of strings, patterns, regexps (the agent's `StringValuesEvaluator`). */
interface StrValuesOp extends Common { t: 'strvalues'; members: { vt: VT; value: string; span: Span }[] }
/** A literal list of IPs and CIDRs (the agent's `CIDRValuesEvaluator`). */
interface CIDRValuesOp extends Common { t: 'cidrvalues'; nets: IPNet[] }

type Op = BoolOp | IntOp | StrOp | IPOp | BoolsOp | IntsOp | StrsOp | IPsOp | StrValuesOp | CIDRValuesOp;

const TYPE_NAMES: Record<Op['t'], string> = {
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

class CompileFailure {
  constructor(readonly error: SeclError) {}
}

function fail(code: SeclErrorCode, message: string, span: Span, extra: { expected?: string; found?: string; suggestion?: string } = {}): never {
  throw new CompileFailure(seclError(code, message, span, extra));
}

const MASK64 = (x: bigint): bigint => BigInt.asIntN(64, x);

/** Length of a string in UTF-8 bytes (Go's `len`). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

// ---------------------------------------------------------------------------------------
// Value conversion

function toInt(v: SeclScalar): bigint | undefined {
  switch (typeof v) {
    case 'bigint':
      return MASK64(v);
    case 'number':
      return Number.isFinite(v) ? MASK64(BigInt(Math.trunc(v))) : undefined;
    case 'string':
      return /^-?[0-9]+$/.test(v) ? MASK64(BigInt(v)) : undefined;
    default:
      return undefined;
  }
}

function toStr(v: SeclScalar): string {
  return typeof v === 'string' ? v : String(v);
}

const ipCache = new Map<string, IPNet | undefined>();
function toIP(v: SeclScalar): IPNet | undefined {
  if (typeof v !== 'string') return undefined;
  if (ipCache.has(v)) return ipCache.get(v);
  const n = parseCIDR(v);
  if (ipCache.size > 10_000) ipCache.clear();
  ipCache.set(v, n);
  return n;
}

function readField(c: Ctx, name: string): readonly SeclScalar[] {
  let v = c.cache.get(name);
  if (v === undefined) {
    v = c.src.get(name) ?? [];
    c.cache.set(name, v);
  }
  return v;
}

function readNow(c: Ctx): bigint | undefined {
  if (!c.nowRead) {
    c.nowRead = true;
    const n = c.src.now?.();
    c.now = n === undefined ? undefined : toInt(n);
  }
  return c.now;
}

// ---------------------------------------------------------------------------------------
// Compiler

interface Compiler {
  opts: CompileOptions;
  constants: ReadonlyMap<string, ConstantValue>;
  macroOps: Map<string, Op>;
  compilingMacros: Set<string>;
  fields: Set<string>;
  /** Register -> the iterator it names (`process.ancestors` for `process.ancestors[A].pid`). */
  registers: Map<string, string>;
}

function typeError(op: Op, want: string, span: Span): never {
  return fail('type', `expected ${want}, found ${TYPE_NAMES[op.t]}`, span, { expected: want, found: TYPE_NAMES[op.t] });
}

function opError(op: string, left: Op, span: Span): never {
  return fail('operand', `'${op}' cannot be applied to ${TYPE_NAMES[left.t]}`, span);
}

function staticBool(v: boolean, span: Span): BoolOp {
  return { t: 'bool', fn: () => v, isStatic: true, span };
}

function bothStatic(a: Op, b: Op): boolean {
  return a.isStatic === true && b.isStatic === true;
}

function not(b: BoolOp): BoolOp {
  const f = b.fn;
  return { t: 'bool', fn: (c) => !f(c), isStatic: b.isStatic, span: b.span };
}

function mkBool(fn: (c: Ctx) => boolean, isStatic: boolean, span: Span): BoolOp {
  return { t: 'bool', fn, isStatic, span };
}

function suggest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (Math.abs(c.length - name.length) > 3) continue;
    const d = levenshtein(name, c, 4);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.max(1, Math.floor(name.length / 4)) ? best : undefined;
}

function levenshtein(a: string, b: string, cap: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > cap) return cap + 1;
    prev = cur;
  }
  return prev[b.length];
}

function fieldInfo(cp: Compiler, name: string): FieldInfo | undefined {
  return cp.opts.fields?.(name);
}

/** An operand reading a field (or, with a register, one element of an iterator field). */
function fieldOp(cp: Compiler, field: string, info: FieldInfo, span: Span, length: boolean): Op {
  const ci = info.caseInsensitive === true || (cp.opts.caseInsensitiveFields ?? AGENT_CASE_INSENSITIVE_FIELDS).has(field);
  const glob = info.glob === true;
  cp.fields.add(field);
  const array = info.array === true;
  const read = (c: Ctx) => readField(c, field);
  if (length) {
    const lengths = (c: Ctx) => read(c).map((v) => BigInt(utf8Length(toStr(v))));
    if (array) return { t: 'ints', fn: lengths, field, span };
    return { t: 'int', fn: (c) => lengths(c)[0] ?? 0n, field, span };
  }
  switch (info.type) {
    case 'string': {
      const all = (c: Ctx) => read(c).map(toStr);
      if (array) return { t: 'strings', fn: all, field, span, glob, ci };
      return { t: 'string', fn: (c) => { const v = read(c); return v.length > 0 ? toStr(v[0]) : ''; }, field, span, vt: 'scalar', glob, ci };
    }
    case 'int': {
      const all = (c: Ctx) => read(c).map(toInt).filter((x): x is bigint => x !== undefined);
      if (array) return { t: 'ints', fn: all, field, span };
      return { t: 'int', fn: (c) => all(c)[0] ?? 0n, field, span };
    }
    case 'bool': {
      const all = (c: Ctx) => read(c).filter((x): x is boolean => typeof x === 'boolean');
      if (array) return { t: 'bools', fn: all, field, span };
      return { t: 'bool', fn: (c) => all(c)[0] ?? false, field, span };
    }
    case 'ip': {
      const all = (c: Ctx) => read(c).map(toIP).filter((x): x is IPNet => x !== undefined);
      if (array) return { t: 'ips', fn: all, field, span };
      return { t: 'ip', fn: (c) => all(c)[0], field, span };
    }
  }
}

function constantOp(v: ConstantValue, span: Span): Op {
  if (typeof v === 'bigint') return { t: 'int', fn: () => v, isStatic: true, span };
  if (typeof v === 'boolean') return staticBool(v, span);
  if (typeof v === 'string') return { t: 'string', fn: () => v, isStatic: true, value: v, vt: 'scalar', span };
  const list = [...v];
  return { t: 'strings', fn: () => list, isStatic: true, span };
}

const ARRAY_SUBSCRIPT = /\[([^\]]*)\]/g;

function identOp(cp: Compiler, name: string, span: Span): Op {
  const constant = cp.constants.get(name);
  if (constant !== undefined) return constantOp(constant, span);
  const macro = macroOp(cp, name, span);
  if (macro !== undefined) return macro;

  // Iterator registers: `process.ancestors[A].file.name`. The agent checks them
  // (eval.go identToEvaluator) and passes the register to the model, whose generated
  // accessors ignore it for iterators: the field is the same array, and a condition on
  // it holds for ANY element, independently of the other conditions naming `[A]`.
  const subs = [...name.matchAll(ARRAY_SUBSCRIPT)];
  let field = name;
  let reg: string | undefined;
  if (subs.length > 1) fail('syntax', `wrong register format for field '${name}'`, span);
  if (subs.length === 1) {
    const m = subs[0];
    reg = m[1];
    const at = m.index ?? 0;
    const itField = name.slice(0, at);
    field = itField + name.slice(at + m[0].length);
    if (reg === '' ) fail('syntax', `wrong register format for field '${name}'`, span);
    if (reg === '_') fail('operand', '`_` can\'t be used as a iterator variable name', span);
    const known = cp.registers.get(reg);
    if (known !== undefined && known !== itField) fail('operand', `iterator variable used by different fields '${reg}'`, span);
    if (known === undefined) cp.registers.set(reg, itField);
  }

  // Legacy names (`chmod.filename`...), as the agent's opts.LegacyFields.
  const legacy = cp.opts.legacyFields ?? SECL_LEGACY_FIELDS;
  if (Object.prototype.hasOwnProperty.call(legacy, field)) field = legacy[field];

  const info = fieldInfo(cp, field);
  if (info !== undefined) return fieldOp(cp, field, info, span, false);
  if (field.endsWith('.length')) {
    const base = field.slice(0, -'.length'.length);
    const bi = fieldInfo(cp, base);
    if (bi !== undefined && bi.type === 'string') return fieldOp(cp, base, bi, span, true);
  }
  const candidates = [...(cp.opts.fieldNames ?? []), ...(cp.opts.macros?.keys() ?? [])];
  const suggestion = suggest(field, candidates);
  return fail('unknown-field', `unknown field, constant or macro '${name}'`, span, suggestion === undefined ? {} : { suggestion });
}

function macroOp(cp: Compiler, id: string, span: Span): Op | undefined {
  const cached = cp.macroOps.get(id);
  if (cached !== undefined) return { ...cached, span };
  const def = cp.opts.macros?.get(id);
  if (def === undefined) return undefined;
  if (cp.compilingMacros.has(id)) fail('macro', `macro '${id}' refers to itself`, span);
  let body: MacroNode;
  if (typeof def === 'string') {
    const parsed = parseMacro(def);
    if (!parsed.ok) fail('macro', `macro '${id}' does not parse: ${parsed.errors[0].message}`, span);
    body = parsed.value;
  } else {
    body = def;
  }
  cp.compilingMacros.add(id);
  try {
    const op = body.kind === 'list' ? arrayOp(cp, body) : nodeOp(cp, body);
    cp.macroOps.set(id, op);
    return { ...op, span };
  } catch (e) {
    if (e instanceof CompileFailure && e.error.code !== 'macro') {
      fail('macro', `macro '${id}' does not compile: ${e.error.message}`, span);
    }
    throw e;
  } finally {
    cp.compilingMacros.delete(id);
  }
}

function variableInfo(cp: Compiler, name: string, span: Span): { info: FieldInfo; length: boolean; name: string } {
  const info = cp.opts.variables?.(name);
  if (info !== undefined) return { info, length: false, name };
  if (name.endsWith('.length')) {
    const base = name.slice(0, -'.length'.length);
    const bi = cp.opts.variables?.(base);
    if (bi !== undefined) {
      if (bi.type === 'string' || bi.array === true) return { info: bi, length: true, name: base };
      fail('variable', `'length' cannot be used on '${base}'`, span);
    }
  }
  return fail('variable', `variable '${name}' doesn't exist`, span);
}

function variableOp(cp: Compiler, name: string, span: Span): Op {
  const { info, length, name: v } = variableInfo(cp, name, span);
  const read = (c: Ctx) => c.src.variable?.(v) ?? [];
  const array = info.array === true;
  if (length) {
    if (array) return { t: 'int', fn: (c) => BigInt(read(c).length), span };
    return { t: 'int', fn: (c) => { const x = read(c); return BigInt(x.length > 0 ? utf8Length(toStr(x[0])) : 0); }, span };
  }
  switch (info.type) {
    case 'string':
      if (array) return { t: 'strings', fn: (c) => read(c).map(toStr), span };
      return { t: 'string', fn: (c) => { const x = read(c); return x.length > 0 ? toStr(x[0]) : ''; }, vt: 'variable', span };
    case 'int': {
      const all = (c: Ctx) => read(c).map(toInt).filter((x): x is bigint => x !== undefined);
      if (array) return { t: 'ints', fn: all, span };
      return { t: 'int', fn: (c) => all(c)[0] ?? 0n, span };
    }
    case 'bool':
      return { t: 'bool', fn: (c) => read(c).some((x) => x === true), span };
    case 'ip': {
      const all = (c: Ctx) => read(c).map(toIP).filter((x): x is IPNet => x !== undefined);
      if (array) return { t: 'ips', fn: all, span };
      return { t: 'ip', fn: (c) => all(c)[0], span };
    }
  }
}

const VARIABLE_IN_STRING = /\$\{[^}]*\}/g;

/** A string with `${...}` inside (`stringEvaluatorFromVariable`). */
function interpolatedOp(cp: Compiler, str: string, span: Span): StrOp {
  const parts: ((c: Ctx) => string)[] = [];
  let last = 0;
  for (const m of str.matchAll(VARIABLE_IN_STRING)) {
    const at = m.index ?? 0;
    if (at > last) {
      const lit = str.slice(last, at);
      parts.push(() => lit);
    }
    const op = variableOp(cp, m[0].slice(2, -1), span);
    switch (op.t) {
      case 'string':
        parts.push(op.fn);
        break;
      case 'strings':
        parts.push((c) => op.fn(c).join(','));
        break;
      case 'int':
        parts.push((c) => op.fn(c).toString());
        break;
      case 'ints':
        parts.push((c) => op.fn(c).map(String).join(','));
        break;
      default:
        fail('variable', `variable type not supported '${m[0].slice(2, -1)}'`, span);
    }
    last = at + m[0].length;
  }
  if (last < str.length) {
    const lit = str.slice(last);
    parts.push(() => lit);
  }
  return { t: 'string', fn: (c) => parts.map((p) => p(c)).join(''), vt: 'variable', span };
}

function ipLiteral(text: string, what: 'IP' | 'CIDR', span: Span): IPNet {
  const n = parseCIDR(text);
  if (n === undefined) fail('operand', `invalid ${what} '${text}'`, span);
  return n;
}

function arrayOp(cp: Compiler, a: ArrayNode | ListNode): Op {
  switch (a.kind) {
    case 'cidr':
      return { t: 'cidrvalues', nets: [ipLiteral(a.value, 'CIDR', a.span)], isStatic: true, span: a.span };
    case 'variable':
      return variableOp(cp, a.name, a.span);
    case 'ident': {
      const m = macroOp(cp, a.name, a.span);
      return m ?? identOp(cp, a.name, a.span);
    }
    case 'list':
      switch (a.family) {
        case 'string':
          return {
            t: 'strvalues',
            members: a.items.map((i) => ({
              vt: i.kind === 'pattern' ? 'pattern' : i.kind === 'regexp' ? 'regexp' : 'scalar',
              value: (i as { value: string }).value,
              span: i.span,
            })),
            isStatic: true,
            span: a.span,
          };
        case 'cidr':
          return {
            t: 'cidrvalues',
            nets: a.items.map((i) => ipLiteral((i as { value: string }).value, i.kind === 'cidr' ? 'CIDR' : 'IP', i.span)),
            isStatic: true,
            span: a.span,
          };
        case 'int': {
          const values = a.items.map((i) => (i as { value: bigint }).value);
          return { t: 'ints', fn: () => values, isStatic: true, span: a.span };
        }
        case 'ident':
          return constantList(cp, a);
      }
  }
}

/** `[O_CREAT, O_RDWR]`: constants of one type, given by the first. */
function constantList(cp: Compiler, a: ListNode): Op {
  const names = a.items.map((i) => ({ name: (i as { name: string }).name, span: i.span }));
  const first = cp.constants.get(names[0].name);
  const kind = typeof first;
  if (first === undefined || !(kind === 'bigint' || kind === 'string' || kind === 'boolean')) {
    return fail('constant', `array of unsupported identifiers: '${names[0].name}' is not an integer, string or boolean constant`, names[0].span);
  }
  const values = names.map(({ name, span }) => {
    const v = cp.constants.get(name);
    if (typeof v !== kind) {
      const t = kind === 'bigint' ? 'int' : kind === 'string' ? 'string' : 'bool';
      fail('constant', `can't mix constants types in arrays: \`${name}\` is not of type ${t}`, span);
    }
    return v;
  });
  if (kind === 'bigint') {
    const ints = values as bigint[];
    return { t: 'ints', fn: () => ints, isStatic: true, span: a.span };
  }
  if (kind === 'boolean') {
    const bools = values as boolean[];
    return { t: 'bools', fn: () => bools, isStatic: true, span: a.span };
  }
  return { t: 'strvalues', members: (values as string[]).map((value, k) => ({ vt: 'scalar' as VT, value, span: names[k].span })), isStatic: true, span: a.span };
}

function asBool(op: Op, span: Span): BoolOp {
  if (op.t !== 'bool') return typeError(op, 'a boolean', span);
  return op;
}

function asInt(op: Op, span: Span): IntOp {
  if (op.t !== 'int') return typeError(op, 'an integer', span);
  return op;
}

function nodeOp(cp: Compiler, n: Node): Op {
  switch (n.kind) {
    case 'paren':
      return nodeOp(cp, n.expr);
    case 'bool': {
      const l = asBool(nodeOp(cp, n.left), n.left.span);
      const r = asBool(nodeOp(cp, n.right), n.right.span);
      const lf = l.fn;
      const rf = r.fn;
      const fn = n.op === '&&' ? (c: Ctx) => lf(c) && rf(c) : (c: Ctx) => lf(c) || rf(c);
      return mkBool(fn, bothStatic(l, r), n.span);
    }
    case 'unary': {
      const o = nodeOp(cp, n.operand);
      switch (n.op) {
        case '!':
        case 'not':
          return { ...not(asBool(o, n.operand.span)), span: n.span };
        case '-': {
          const i = asInt(o, n.operand.span);
          const f = i.fn;
          return { t: 'int', fn: (c) => MASK64(-f(c)), isStatic: i.isStatic, span: n.span };
        }
        case '^': {
          const i = asInt(o, n.operand.span);
          const f = i.fn;
          return { t: 'int', fn: (c) => MASK64(~f(c)), isStatic: i.isStatic, span: n.span };
        }
      }
      break;
    }
    case 'bitop': {
      const l = asInt(nodeOp(cp, n.left), n.left.span);
      const r = asInt(nodeOp(cp, n.right), n.right.span);
      if (!l.isStatic && !r.isStatic) fail('operand', 'full dynamic bitmask operation not supported', n.span);
      const lf = l.fn;
      const rf = r.fn;
      const fn =
        n.op === '&' ? (c: Ctx) => lf(c) & rf(c) : n.op === '|' ? (c: Ctx) => lf(c) | rf(c) : (c: Ctx) => MASK64(lf(c) ^ rf(c));
      return { t: 'int', fn, isStatic: bothStatic(l, r), span: n.span, field: l.field ?? r.field };
    }
    case 'arith': {
      let acc = asInt(nodeOp(cp, n.first), n.first.span);
      for (const r of n.rest) {
        const o = asInt(nodeOp(cp, r.operand), r.operand.span);
        const af = acc.fn;
        const of = o.fn;
        acc = {
          t: 'int',
          fn: r.op === '+' ? (c) => MASK64(af(c) + of(c)) : (c) => MASK64(af(c) - of(c)),
          isStatic: bothStatic(acc, o),
          span: n.span,
        };
      }
      return { ...acc, arith: true };
    }
    case 'compare':
      return compareOp(cp, n.op, nodeOp(cp, n.left), nodeOp(cp, n.right), n.span, n.opSpan);
    case 'in':
      return inOp(n.op, nodeOp(cp, n.left), arrayOp(cp, n.right), n.span, n.opSpan);
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
  return fail('syntax', 'unknown node', (n as { span: Span }).span);
}

// ---------------------------------------------------------------------------------------
// Strings

/** Compiles a matcher or fails with the right code. */
function matcher(vt: VT, value: string, ci: boolean, span: Span): Matcher {
  const r = newMatcher(vt === 'variable' ? 'scalar' : vt, value, ci);
  if (!r.ok) fail(r.code, r.message, span);
  return r.matcher;
}

/** `ToStringMatcher`: a matcher when the operand is static, else none. */
function toMatcher(s: StrOp, ci: boolean): Matcher | undefined {
  if (!s.isStatic || s.value === undefined) return undefined;
  return matcher(s.vt, s.value, ci, s.span);
}

/** The field-side overrides of a scalar/array pair: glob (path fields), case-insensitive. */
function overrides(a: StrOp | StrsOp, b: StrOp | StrsOp): { glob: boolean; ci: boolean; from: 'a' | 'b' | undefined } {
  if (a.glob || a.ci) return { glob: a.glob === true, ci: a.ci === true, from: 'a' };
  if (b.glob || b.ci) return { glob: b.glob === true, ci: b.ci === true, from: 'b' };
  return { glob: false, ci: false, from: undefined };
}

/** `StringEqualsWrapper` + `StringEquals`. */
function stringEquals(a0: StrOp, b0: StrOp, span: Span): BoolOp {
  let a = a0;
  let b = b0;
  const o = overrides(a, b);
  if (o.glob) {
    if (a.vt === 'pattern') a = { ...a, vt: 'glob' };
    else if (b.vt === 'pattern') b = { ...b, vt: 'glob' };
  }
  let aCi = false;
  let bCi = false;
  if (o.ci) {
    if (a.field !== undefined) aCi = true;
    else if (b.field !== undefined) bCi = true;
  }
  const af = a.fn;
  const bf = b.fn;
  let fn: (c: Ctx) => boolean = (c) => af(c) === bf(c);
  if (a.field !== undefined && b.field !== undefined) {
    if (aCi || bCi) fn = (c) => equalFold(af(c), bf(c));
  } else if (a.field !== undefined) {
    const m = toMatcher(b, aCi);
    if (m !== undefined) fn = (c) => m(af(c));
  } else if (b.field !== undefined) {
    const m = toMatcher(a, bCi);
    if (m !== undefined) fn = (c) => m(bf(c));
  }
  return mkBool(fn, bothStatic(a, b), span);
}

/** `StringArrayContainsWrapper` + `StringArrayContains`: does array `b` hold `a`? */
function stringArrayContains(a0: StrOp, b: StrsOp, span: Span): BoolOp {
  let a = a0;
  const o = overrides(a, b);
  if (o.glob && a.vt === 'pattern') a = { ...a, vt: 'glob' };
  let aCi = false;
  let bCi = false;
  if (o.ci) {
    if (a.field !== undefined) aCi = true;
    else if (b.field !== undefined) bCi = true;
  }
  const af = a.fn;
  const bf = b.fn;
  let cmp: (x: string, y: string) => boolean = (x, y) => x === y;
  if (a.field !== undefined && b.field !== undefined) {
    if (aCi || bCi) cmp = equalFold;
  } else if (a.field !== undefined && aCi) {
    cmp = equalFold;
  } else if (b.field !== undefined) {
    const m = toMatcher(a, bCi);
    if (m !== undefined) cmp = (_x, y) => m(y);
  }
  return mkBool((c) => { const x = af(c); return bf(c).some((y) => cmp(x, y)); }, bothStatic(a, b), span);
}

/** `StringValues.Compile` + `Matches`: exact strings when the options are the default, matchers otherwise. */
function compileValues(members: { vt: VT; value: string; span: Span }[], glob: boolean, ci: boolean): (s: string) => boolean {
  const scalars = new Set<string>();
  const matchers: Matcher[] = [];
  for (const m of members) {
    const vt = glob && m.vt === 'pattern' ? 'glob' : m.vt;
    if (!ci && (vt === 'scalar' || vt === 'variable')) scalars.add(m.value);
    else matchers.push(matcher(vt, m.value, ci, m.span));
  }
  return (s) => scalars.has(s) || matchers.some((m) => m(s));
}

/** `stringValuesContainsWrapper` + `StringValuesContains`: `a in [...]`. */
function stringValuesContains(a: StrOp, b: StrValuesOp, span: Span): BoolOp {
  const glob = a.glob === true && a.vt !== 'pattern';
  const ci = a.ci === true && a.field !== undefined;
  const test = compileValues(b.members, glob, ci);
  const af = a.fn;
  return mkBool((c) => test(af(c)), bothStatic(a, b), span);
}

/** `stringArrayMatchesWrapper` + `StringArrayMatches`: some element of `a` in `[...]`. */
function stringArrayMatches(a: StrsOp, b: StrValuesOp, span: Span): BoolOp {
  const ci = a.ci === true && a.field !== undefined;
  const test = compileValues(b.members, a.glob === true, ci);
  const af = a.fn;
  return mkBool((c) => af(c).some(test), bothStatic(a, b), span);
}

// ---------------------------------------------------------------------------------------
// Comparisons

function intCmp(op: string): ((x: bigint, y: bigint) => boolean) | undefined {
  switch (op) {
    case '<':
      return (x, y) => x < y;
    case '<=':
      return (x, y) => x <= y;
    case '>':
      return (x, y) => x > y;
    case '>=':
      return (x, y) => x >= y;
    case '==':
      return (x, y) => x === y;
    default:
      return undefined;
  }
}

/** `now - v OP d`; false without a `now`. */
function durationTest(op: string, d: (c: Ctx) => bigint, v: (c: Ctx) => bigint): ((c: Ctx) => boolean) | undefined {
  const cmp = intCmp(op);
  if (cmp === undefined) return undefined;
  return (c) => {
    const now = readNow(c);
    return now !== undefined && cmp(MASK64(now - v(c)), d(c));
  };
}

function compareOp(cp: Compiler, op: string, l: Op, r: Op, span: Span, opSpan: Span): BoolOp {
  void cp;
  const negate = op === '!=' || op === '!~';
  const maybeNot = (b: BoolOp): BoolOp => (negate ? { ...not(b), span } : { ...b, span });
  switch (l.t) {
    case 'bool': {
      if (r.t !== 'bool') return typeError(r, 'a boolean', r.span);
      if (op !== '==' && op !== '!=') return opError(op, l, opSpan);
      const lf = l.fn;
      const rf = r.fn;
      return maybeNot(mkBool((c) => lf(c) === rf(c), bothStatic(l, r), span));
    }
    case 'bools': {
      if (r.t !== 'bool') return typeError(r, 'a boolean', r.span);
      if (op !== '==' && op !== '!=') return opError(op, l, opSpan);
      const lf = l.fn;
      const rf = r.fn;
      return maybeNot(mkBool((c) => { const x = rf(c); return lf(c).some((v) => v === x); }, bothStatic(l, r), span));
    }
    case 'string': {
      if (r.t !== 'string') return typeError(r, 'a string', r.span);
      let rr = r;
      if (op === '=~' || op === '!~') {
        if (!r.isStatic) fail('operand', `the right side of '${op}' must be a static pattern, not a field or variable`, r.span);
        if (r.vt === 'scalar') rr = { ...r, vt: 'pattern' };
      } else if (op !== '==' && op !== '!=') {
        return opError(op, l, opSpan);
      }
      return maybeNot(stringEquals(l, rr, span));
    }
    case 'strings': {
      if (r.t !== 'string') return typeError(r, 'a string', r.span);
      let rr = r;
      if (op === '=~' || op === '!~') {
        if (!r.isStatic) fail('operand', `the right side of '${op}' must be a static pattern, not a field or variable`, r.span);
        if (r.vt === 'scalar') rr = { ...r, vt: 'pattern' };
      } else if (op !== '==' && op !== '!=') {
        return opError(op, l, opSpan);
      }
      return maybeNot(stringArrayContains(rr, l, span));
    }
    case 'ip': {
      if (r.t !== 'ip') return typeError(r, 'an IP or CIDR', r.span);
      if (op !== '==' && op !== '!=') return opError(op, l, opSpan);
      const lf = l.fn;
      const rf = r.fn;
      return maybeNot(mkBool((c) => { const x = lf(c); const y = rf(c); return x !== undefined && y !== undefined && ipNetsMatch(x, y); }, bothStatic(l, r), span));
    }
    case 'ips': {
      if (r.t !== 'ip') return typeError(r, 'an IP or CIDR', r.span);
      if (op !== '==' && op !== '!=') return opError(op, l, opSpan);
      const lf = l.fn;
      const rf = r.fn;
      // CIDRArrayMatchesCIDREvaluator: an element contains the literal's address.
      return maybeNot(mkBool((c) => { const y = rf(c); return y !== undefined && lf(c).some((x) => contains(x, y.ip)); }, bothStatic(l, r), span));
    }
    case 'int': {
      if (r.t === 'int') {
        const lf = l.fn;
        const rf = r.fn;
        if (r.duration === true) {
          if (l.arith === true) {
            const cmp = intCmp(op);
            if (cmp === undefined) return opError(op, r, opSpan);
            return mkBool((c) => cmp(lf(c), rf(c)), bothStatic(l, r), span);
          }
          const t = durationTest(op, rf, lf);
          if (t === undefined) return fail('type', `'${op}' cannot compare with a duration`, opSpan);
          return mkBool(t, false, span);
        }
        if (op === '!=') return maybeNot(mkBool((c) => lf(c) === rf(c), bothStatic(l, r), span));
        const cmp = intCmp(op);
        if (cmp === undefined) return opError(op, l, opSpan);
        return mkBool((c) => cmp(lf(c), rf(c)), bothStatic(l, r), span);
      }
      if (r.t === 'ints') {
        const lf = l.fn;
        const rf = r.fn;
        if (op === '!=') return maybeNot(mkBool((c) => { const x = lf(c); return rf(c).some((v) => v === x); }, false, span));
        const cmp = intCmp(op);
        if (cmp === undefined) return opError(op, l, opSpan);
        return mkBool((c) => { const x = lf(c); return rf(c).some((v) => cmp(x, v)); }, false, span);
      }
      return typeError(r, 'an integer', r.span);
    }
    case 'ints': {
      if (r.t !== 'int') return typeError(r, 'an integer', r.span);
      const lf = l.fn;
      const rf = r.fn;
      if (r.duration === true) {
        if (op === '==' || op === '!=') return fail('type', `'${op}' cannot compare a list of integers with a duration`, opSpan);
        const cmp = intCmp(op);
        if (cmp === undefined) return opError(op, l, opSpan);
        return mkBool((c) => {
          const now = readNow(c);
          if (now === undefined) return false;
          const d = rf(c);
          return lf(c).some((v) => cmp(MASK64(now - v), d));
        }, false, span);
      }
      if (op === '!=') return maybeNot(mkBool((c) => { const x = rf(c); return lf(c).some((v) => v === x); }, false, span));
      const cmp = intCmp(op);
      if (cmp === undefined) return opError(op, l, opSpan);
      return mkBool((c) => { const x = rf(c); return lf(c).some((v) => cmp(v, x)); }, false, span);
    }
    default:
      return typeError(l, 'a field or value that can be compared', l.span);
  }
}

function inOp(op: 'in' | 'not in' | 'allin', l: Op, r: Op, span: Span, opSpan: Span): BoolOp {
  const neg = op === 'not in';
  const out = (b: BoolOp): BoolOp => (neg ? { ...not(b), span } : { ...b, span });
  switch (l.t) {
    case 'bool': {
      if (r.t !== 'bools') return typeError(r, 'a list of booleans', r.span);
      const lf = l.fn;
      const rf = r.fn;
      return out(mkBool((c) => { const x = lf(c); return rf(c).some((v) => v === x); }, bothStatic(l, r), span));
    }
    case 'string':
      if (r.t === 'strings') return out(stringArrayContains(l, r, span));
      if (r.t === 'strvalues') return out(stringValuesContains(l, r, span));
      return typeError(r, 'a list of strings', r.span);
    case 'strvalues':
      if (r.t === 'strings') return out(stringArrayMatches(r, l, span));
      return typeError(r, 'a list of strings', r.span);
    case 'strings':
      if (r.t === 'strvalues') return out(stringArrayMatches(l, r, span));
      return typeError(r, 'a list of strings', r.span);
    case 'int': {
      if (r.t !== 'ints') return typeError(r, 'a list of integers', r.span);
      const lf = l.fn;
      const rf = r.fn;
      return out(mkBool((c) => { const x = lf(c); return rf(c).some((v) => v === x); }, bothStatic(l, r), span));
    }
    case 'ints': {
      if (r.t !== 'ints') return typeError(r, 'a list of integers', r.span);
      const lf = l.fn;
      const rf = r.fn;
      return out(mkBool((c) => { const ys = rf(c); return lf(c).some((x) => ys.includes(x)); }, bothStatic(l, r), span));
    }
    case 'ip': {
      const lf = l.fn;
      if (r.t === 'ip') {
        const rf = r.fn;
        return out(mkBool((c) => { const x = lf(c); const y = rf(c); return x !== undefined && y !== undefined && ipNetsMatch(x, y); }, bothStatic(l, r), span));
      }
      if (r.t === 'cidrvalues') {
        const nets = r.nets;
        return out(mkBool((c) => { const x = lf(c); return x !== undefined && nets.some((n) => ipNetsMatch(n, x)); }, bothStatic(l, r), span));
      }
      if (r.t === 'ips') {
        const rf = r.fn;
        return out(mkBool((c) => { const x = lf(c); return x !== undefined && rf(c).some((n) => ipNetsMatch(x, n)); }, false, span));
      }
      return typeError(r, 'a list of IPs/CIDRs', r.span);
    }
    case 'ips': {
      if (r.t !== 'cidrvalues') return typeError(r, 'a list of IPs/CIDRs', r.span);
      const lf = l.fn;
      const nets = r.nets;
      if (op === 'allin') {
        // CIDRValues.MatchAll: every listed network against every field IP.
        return mkBool((c) => { const xs = lf(c); return nets.every((n) => xs.every((x) => ipNetsMatch(n, x))); }, false, span);
      }
      return out(mkBool((c) => { const xs = lf(c); return nets.some((n) => xs.some((x) => ipNetsMatch(n, x))); }, false, span));
    }
    case 'cidrvalues': {
      const nets = l.nets;
      if (r.t === 'ip') {
        const rf = r.fn;
        return out(mkBool((c) => { const x = rf(c); return x !== undefined && nets.some((n) => ipNetsMatch(n, x)); }, bothStatic(l, r), span));
      }
      if (r.t === 'ips') {
        const rf = r.fn;
        if (op === 'allin') return mkBool((c) => { const xs = rf(c); return nets.every((n) => xs.every((x) => ipNetsMatch(n, x))); }, false, span);
        return out(mkBool((c) => { const xs = rf(c); return nets.some((n) => xs.some((x) => ipNetsMatch(n, x))); }, false, span));
      }
      return typeError(r, 'an IP', r.span);
    }
    default:
      void opSpan;
      return typeError(l, 'a value that can be looked up in a list', l.span);
  }
}

// ---------------------------------------------------------------------------------------
// Entry points

function newCompiler(opts: CompileOptions): Compiler {
  return {
    opts,
    constants: opts.constants ?? SECL_CONSTANTS,
    macroOps: new Map(),
    compilingMacros: new Set(),
    fields: new Set(),
    registers: new Map(),
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
    const match: Predicate = (event) => fn({ src: event, cache: new Map(), now: undefined, nowRead: false });
    return { ok: true, value: { match, fields: [...cp.fields].sort() } };
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
