/** `${variables}`: their declared types, `.length`, and strings with `${...}` inside. */
import type { Span } from '../ast.js';
import type { IPNet } from '../ip.js';
import { toInt, toIP, toStr, utf8Length } from './values.js';
import { fail, type Compiler, type Ctx, type FieldInfo, type Op, type StrOp } from './types.js';

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

export function variableOp(cp: Compiler, name: string, span: Span): Op {
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
export function interpolatedOp(cp: Compiler, str: string, span: Span): StrOp {
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
