/**
 * SECL printer: AST -> expression text that parses back to the same tree (spans aside).
 *
 * Operators are written as the source had them (`and` or `&&`), surrounded by spaces;
 * unary operators are followed by a space (`- 5` is the operator on 5, `-5` the integer);
 * strings, patterns and regexps are written verbatim between their quotes (the parser
 * does not unescape them, so nothing needs escaping back); integers keep their text
 * (`0755`), durations theirs (`5m`). Parentheses are the `paren` nodes of the tree.
 * A list of identifiers ends with a space before `]`: identifiers may contain `]`.
 */
import type { MacroNode, Node } from './ast.js';

export function print(node: MacroNode): string {
  switch (node.kind) {
    case 'bool':
      return `${print(node.left)} ${node.text} ${print(node.right)}`;
    case 'compare':
      return `${print(node.left)} ${node.op} ${print(node.right)}`;
    case 'in':
      return `${print(node.left)} ${node.op} ${print(node.right)}`;
    case 'arith':
      return [print(node.first), ...node.rest.map((r) => `${r.op} ${print(r.operand)}`)].join(' ');
    case 'bitop':
      return `${print(node.left)} ${node.op} ${print(node.right)}`;
    case 'unary':
      return `${node.op} ${print(node.operand)}`;
    case 'paren':
      return `(${print(node.expr)})`;
    case 'ident':
      return node.name;
    case 'int':
    case 'duration':
      return node.raw;
    case 'string':
      return `"${node.value}"`;
    case 'pattern':
      return `~"${node.value}"`;
    case 'regexp':
      return `r"${node.value}"`;
    case 'ip':
    case 'cidr':
      return node.value;
    case 'variable':
      return `\${${node.name}}`;
    case 'list':
      // An identifier would swallow a `]` right after it (`O_RDWR]` is one identifier).
      return `[${node.items.map((i) => print(i as Node)).join(', ')}${node.family === 'ident' ? ' ' : ''}]`;
  }
}
