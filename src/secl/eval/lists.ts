/** The right side of `in`: literal lists (strings, IPs/CIDRs, integers, constants), macros, variables. */
import type { ArrayNode, ListNode } from '../ast.js';
import { ipLiteral } from './ips.js';
import { macroOp } from './macros.js';
import { identOp } from './operands.js';
import { variableOp } from './variables.js';
import { fail, type Compiler, type Op, type VT } from './types.js';

export function arrayOp(cp: Compiler, a: ArrayNode | ListNode): Op {
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
