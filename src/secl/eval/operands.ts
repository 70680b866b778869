/**
 * Identifiers: constants, macros, fields (with the iterator register `[A]` and `.length`),
 * legacy field names, and the suggestion offered for an unknown name.
 */
import type { Span } from '../ast.js';
import type { ConstantValue } from '../constants.js';
import { AGENT_CASE_INSENSITIVE_FIELDS, SECL_LEGACY_FIELDS } from '../model.js';
import { macroOp } from './macros.js';
import { readField, toInt, toIP, toStr, utf8Length } from './values.js';
import { fail, staticBool, type Compiler, type Ctx, type FieldInfo, type Op } from './types.js';
import type { IPNet } from '../ip.js';

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
export function fieldOp(cp: Compiler, field: string, info: FieldInfo, span: Span, length: boolean): Op {
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
  // The scalar forms take the first value the array form would give, without building it;
  // a string array already all strings is given as it is (operators only read it).
  switch (info.type) {
    case 'string': {
      const all = (c: Ctx): string[] => {
        const v = read(c);
        for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return v.map(toStr);
        return v as string[];
      };
      if (array) return { t: 'strings', fn: all, field, span, glob, ci };
      return { t: 'string', fn: (c) => { const v = read(c); return v.length > 0 ? toStr(v[0]) : ''; }, field, span, vt: 'scalar', glob, ci };
    }
    case 'int': {
      const all = (c: Ctx) => read(c).map(toInt).filter((x): x is bigint => x !== undefined);
      if (array) return { t: 'ints', fn: all, field, span };
      const first = (c: Ctx): bigint => {
        const v = read(c);
        for (let i = 0; i < v.length; i++) {
          const x = toInt(v[i]!);
          if (x !== undefined) return x;
        }
        return 0n;
      };
      return { t: 'int', fn: first, field, span };
    }
    case 'bool': {
      const all = (c: Ctx) => read(c).filter((x): x is boolean => typeof x === 'boolean');
      if (array) return { t: 'bools', fn: all, field, span };
      const first = (c: Ctx): boolean => {
        const v = read(c);
        for (let i = 0; i < v.length; i++) if (typeof v[i] === 'boolean') return v[i] as boolean;
        return false;
      };
      return { t: 'bool', fn: first, field, span };
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

export function identOp(cp: Compiler, name: string, span: Span): Op {
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
