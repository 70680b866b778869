/** Walking a parsed expression: every node, and the identifiers (fields, constants, macros) in it. */
import type { IdentNode, ListNode, Node } from './ast.js';
import { SECL_LEGACY_FIELDS } from './model.js';

/** The children of a node (a list's members included). */
export function children(n: Node | ListNode): (Node | ListNode)[] {
  switch (n.kind) {
    case 'bool':
    case 'compare':
    case 'bitop':
      return [n.left, n.right];
    case 'in':
      return [n.left, n.right];
    case 'arith':
      return [n.first, ...n.rest.map((r) => r.operand)];
    case 'unary':
      return [n.operand];
    case 'paren':
      return [n.expr];
    case 'list':
      return n.items;
    default:
      return [];
  }
}

/** Every node of the tree, parents before children, left to right. */
export function* nodes(root: Node | ListNode): Generator<Node | ListNode> {
  const stack: (Node | ListNode)[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    yield n;
    stack.push(...children(n).reverse());
  }
}

/** The identifiers of the tree, in the order they are written. */
export function identNodes(root: Node | ListNode): IdentNode[] {
  const out: IdentNode[] = [];
  for (const n of nodes(root)) if (n.kind === 'ident') out.push(n);
  return out;
}

/** The field an identifier names: without its register (`[A]`), a legacy name replaced. */
export function identField(name: string): string {
  const field = name.replace(/\[[^\]]*\]/, '');
  return Object.prototype.hasOwnProperty.call(SECL_LEGACY_FIELDS, field) ? SECL_LEGACY_FIELDS[field] : field;
}
