/**
 * `${variables}` of a single expression (no policy declares them): their types, read
 * from how the expression uses them, and their values, read from the event.
 *
 * Where the backend event carries them (`serializers_base.go`, `newVariablesContext`):
 * the variables of the rule's store, each under the object of its scope, without the
 * scope: `${process.x}` at `process.variables.x`, `${container.x}` at
 * `container.variables.x`, `${cgroup.x}` at `cgroup.variables.x`, a variable without a
 * scope at `evt.variables.x`. The agent's built-in `${process.pid}` (`model.SECLVariables`,
 * not serialized) is the event's `process.pid`. Any other (`${builtins.uuid4}`) is never
 * written. An event without the value is evaluated with the variable unset: its zero
 * value, as the agent's evaluator reads a variable that no rule has set.
 *
 * Types: the agent takes them from the policy's `set` actions; here the other operand
 * gives it (`${v} == "a"`: a string; `process.pid in ${v}`: a list of integers; `${v} + 1`:
 * an integer; `${v.length}`: a string); otherwise a string, as in the default policy.
 */
import type { ListNode, Node } from './ast.js';
import { readPath } from './backend.js';
import { SECL_CONSTANTS } from './constants.js';
import type { FieldInfo, FieldType, SeclScalar } from './eval.js';
import { linuxFieldInfo } from './fields.js';
import { identField, nodes } from './walk.js';
import { JsonNumber } from '../core/json/value.js';

export interface ProgramVariable {
  /** As written inside `${...}`, without `.length`. */
  name: string;
  /** Where the event holds it (JSON keys from the root); undefined: never written. */
  path: readonly string[] | undefined;
  /** Its values in an event; undefined where the event has none. */
  read(event: unknown): readonly SeclScalar[] | undefined;
  /** What the run says once about it. */
  note: string;
}

const SCOPES = ['process', 'container', 'cgroup'];

/** The agent's built-in variables, read from the event's own fields. */
const BUILTINS: Readonly<Record<string, { type: FieldType; path: readonly string[] }>> = {
  'process.pid': { type: 'int', path: ['process', 'pid'] },
};

function scalar(v: unknown): SeclScalar | undefined {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (v instanceof JsonNumber) return /^-?[0-9]+$/.test(v.raw) ? BigInt(v.raw) : Number(v.raw);
  return undefined;
}

/** Where `${name}` is in a backend event, and how to read it. */
export function variableSource(name: string): ProgramVariable {
  const builtin = Object.prototype.hasOwnProperty.call(BUILTINS, name) ? BUILTINS[name] : undefined;
  const dot = name.indexOf('.');
  const scope = dot === -1 ? 'evt' : name.slice(0, dot);
  const path = builtin?.path ?? (dot === -1 ? ['evt', 'variables', name] : SCOPES.includes(scope) ? [scope, 'variables', name.slice(dot + 1)] : undefined);
  const read = (event: unknown): readonly SeclScalar[] | undefined => {
    if (path === undefined) return undefined;
    const v = readPath(event, path)[0];
    if (v === undefined || v === null) return undefined;
    const values = (Array.isArray(v) ? v : [v]).map(scalar).filter((x): x is SeclScalar => x !== undefined);
    return values;
  };
  const where = path?.join('.');
  let note: string;
  if (builtin !== undefined) note = `\${${name}} is the agent's built-in variable: the event's ${where}`;
  else if (where !== undefined) note = `\${${name}} is read from each event's ${where}; where an event has none, the rule is evaluated with it unset, as the agent would`;
  else note = `\${${name}} is not written to backend events (only the process, container, cgroup and unscoped variables are): evaluated unset, as the agent would`;
  return { name, path, read, note };
}

type Guess = FieldInfo | undefined;

/** The type of an operand, as far as it is known before compiling. */
function guess(n: Node, known: Map<string, FieldInfo>): Guess {
  switch (n.kind) {
    case 'string':
    case 'pattern':
    case 'regexp':
      return { type: 'string' };
    case 'int':
    case 'duration':
    case 'arith':
    case 'bitop':
      return { type: 'int' };
    case 'ip':
    case 'cidr':
      return { type: 'ip' };
    case 'bool':
    case 'compare':
    case 'in':
      return { type: 'bool' };
    case 'unary':
      return n.op === '!' || n.op === 'not' ? { type: 'bool' } : { type: 'int' };
    case 'paren':
      return guess(n.expr, known);
    case 'variable':
      return known.get(n.name);
    case 'ident':
      return identGuess(n.name);
  }
}

function identGuess(name: string): Guess {
  const c = SECL_CONSTANTS.get(name);
  if (c !== undefined) {
    if (typeof c === 'bigint') return { type: 'int' };
    if (typeof c === 'boolean') return { type: 'bool' };
    return typeof c === 'string' ? { type: 'string' } : { type: 'string', array: true };
  }
  const field = identField(name);
  const info = linuxFieldInfo(field);
  if (info !== undefined) return { type: info.type, ...(info.array === true ? { array: true } : {}) };
  return field.endsWith('.length') ? { type: 'int' } : undefined;
}

/** The element type of what follows `in`. */
function listGuess(r: ListNode | Node, known: Map<string, FieldInfo>): Guess {
  if (r.kind !== 'list') return r.kind === 'cidr' ? { type: 'ip' } : guess(r, known);
  if (r.family === 'cidr') return { type: 'ip' };
  if (r.family === 'int') return { type: 'int' };
  if (r.family === 'string') return { type: 'string' };
  const first = r.items[0];
  return first?.kind === 'ident' ? identGuess(first.name) : undefined;
}

const scalarOf = (g: Guess): Guess => (g === undefined ? undefined : { type: g.type });

/** The types of the `${variables}` of an expression, from the operands they meet. */
export function inferVariableTypes(root: Node): Map<string, FieldInfo> {
  const known = new Map<string, FieldInfo>();
  const set = (n: Node, g: Guess): void => {
    if (n.kind === 'paren') return set(n.expr, g);
    if (n.kind !== 'variable' || g === undefined || known.has(n.name)) return;
    known.set(n.name, g);
  };
  // Twice: a variable compared with another takes the type the other gets elsewhere.
  for (let pass = 0; pass < 2; pass++) {
    for (const n of nodes(root)) {
      switch (n.kind) {
        case 'compare':
          set(n.left, scalarOf(guess(n.right, known)));
          set(n.right, scalarOf(guess(n.left, known)));
          break;
        case 'in': {
          set(n.left, scalarOf(listGuess(n.right, known)));
          const left = scalarOf(guess(n.left, known));
          if (n.right.kind === 'variable') set(n.right, left === undefined ? undefined : { ...left, array: true });
          break;
        }
        case 'arith':
          for (const o of [n.first, ...n.rest.map((r) => r.operand)]) set(o, { type: 'int' });
          break;
        case 'bitop':
          set(n.left, { type: 'int' });
          set(n.right, { type: 'int' });
          break;
        case 'unary':
          set(n.operand, n.op === '!' || n.op === 'not' ? { type: 'bool' } : { type: 'int' });
          break;
        case 'bool':
          set(n.left, { type: 'bool' });
          set(n.right, { type: 'bool' });
          break;
        default:
          break;
      }
    }
  }
  set(root, { type: 'bool' });
  // Every other: a string (`"${v}"` inside a string, a variable compared only with variables).
  for (const n of nodes(root)) {
    const names = n.kind === 'variable' ? [n.name] : n.kind === 'string' ? [...n.value.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]!) : [];
    for (const name of names) if (!known.has(name)) known.set(name, { type: 'string' });
  }
  // `${v.length}`: the length of a string variable (or of a list typed elsewhere).
  for (const [name, info] of [...known]) {
    if (!name.endsWith('.length')) continue;
    known.delete(name);
    const base = name.slice(0, -'.length'.length);
    if (!known.has(base)) known.set(base, info.type === 'int' ? { type: 'string' } : info);
  }
  for (const [name, b] of Object.entries(BUILTINS)) if (known.has(name)) known.set(name, { type: b.type });
  return known;
}
