/**
 * SECL abstract syntax tree.
 *
 * The shape follows the agent's participle grammar
 * (`pkg/security/secl/compiler/ast/secl.go`), level by level:
 *
 *     Expression  = Comparison [ ("||" | "or" | "&&" | "and") BooleanExpression ]   -> BoolOp, right-nested, one level
 *     Comparison  = ArithmeticOperation [ ScalarComparison | ArrayComparison ]      -> Compare (right side a Comparison) | InArray
 *     Arithmetic  = BitOperation { ("+" | "-") BitOperation }                        -> Arith (left to right)
 *     BitOperation= Unary [ ("&" | "|" | "^") BitOperation ]                         -> BitOp, right-nested, one level
 *     Unary       = ("!" | "not" | "-" | "^") Unary | Primary                        -> Unary
 *     Primary     = Ident | CIDR | IP | Int | Variable | String | Pattern | Regexp | Duration | "(" Expression ")"
 *
 * Parentheses are kept (`Paren`) so that printing an AST gives back the same tree.
 * Every node carries its span: UTF-16 offsets into the expression, end exclusive.
 */

export interface Span {
  start: number;
  end: number;
}

export type BoolOpText = '&&' | '||' | 'and' | 'or';
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~' | '!~';
export type ArrayOp = 'in' | 'not in' | 'allin';
export type BitOpText = '&' | '|' | '^';
export type UnaryOpText = '!' | 'not' | '-' | '^';

/** `a && b`, `a or b`: `left` is a comparison-level node, `right` may be another BoolOp. */
export interface BoolOpNode {
  kind: 'bool';
  /** `and`/`&&` -> `&&`, `or`/`||` -> `||`. */
  op: '&&' | '||';
  /** As written. */
  text: BoolOpText;
  left: Node;
  right: Node;
  opSpan: Span;
  span: Span;
}

/** `a == b`: `right` is itself a comparison (`a == b == c` is `a == (b == c)`). */
export interface CompareNode {
  kind: 'compare';
  op: CompareOp;
  left: Node;
  right: Node;
  opSpan: Span;
  span: Span;
}

/** `a in [...]`, `a not in X`, `a allin [...]`. */
export interface InNode {
  kind: 'in';
  op: ArrayOp;
  left: Node;
  right: ArrayNode;
  opSpan: Span;
  span: Span;
}

/** `a + b - c`: evaluated left to right. */
export interface ArithNode {
  kind: 'arith';
  first: Node;
  rest: { op: '+' | '-'; operand: Node; opSpan: Span }[];
  span: Span;
}

/** `a & b`, `a | b`, `a ^ b`: right-nested, all three on one level. */
export interface BitOpNode {
  kind: 'bitop';
  op: BitOpText;
  left: Node;
  right: Node;
  opSpan: Span;
  span: Span;
}

export interface UnaryNode {
  kind: 'unary';
  op: UnaryOpText;
  operand: Node;
  opSpan: Span;
  span: Span;
}

export interface ParenNode {
  kind: 'paren';
  expr: Node;
  span: Span;
}

/** A field, a constant (`O_CREAT`, `true`), or a macro id: resolved when compiling. */
export interface IdentNode {
  kind: 'ident';
  name: string;
  span: Span;
}

/** Integer: decimal, or octal with a leading 0 (`0755`), 64-bit signed. */
export interface IntNode {
  kind: 'int';
  value: bigint;
  raw: string;
  span: Span;
}

/** Duration (`5s`, `10m`, `1h`, `10ms`), in nanoseconds. */
export interface DurationNode {
  kind: 'duration';
  value: bigint;
  raw: string;
  span: Span;
}

/** `"..."`: the text between the quotes, verbatim (the agent does not unescape). */
export interface StringNode {
  kind: 'string';
  value: string;
  span: Span;
}

/** `~"..."`: a simple pattern (a glob on path fields). */
export interface PatternNode {
  kind: 'pattern';
  value: string;
  span: Span;
}

/** `r"..."`: an RE2 regular expression. */
export interface RegexpNode {
  kind: 'regexp';
  value: string;
  span: Span;
}

export interface IPNode {
  kind: 'ip';
  value: string;
  span: Span;
}

export interface CIDRNode {
  kind: 'cidr';
  value: string;
  span: Span;
}

/** `${name}`: `name` without `${` `}`. */
export interface VariableNode {
  kind: 'variable';
  name: string;
  span: Span;
}

export type StringMemberNode = StringNode | PatternNode | RegexpNode;
export type CIDRMemberNode = IPNode | CIDRNode;

/** A bracketed list: all members of one family, as the grammar's four list forms. */
export interface ListNode {
  kind: 'list';
  family: 'string' | 'cidr' | 'int' | 'ident';
  items: (StringMemberNode | CIDRMemberNode | IntNode | IdentNode)[];
  span: Span;
}

/** What may follow `in`, `not in`, `allin`: a list, a CIDR, a `${variable}`, or an identifier (macro, field, constant). */
export type ArrayNode = ListNode | CIDRNode | VariableNode | IdentNode;

export type Node =
  | BoolOpNode
  | CompareNode
  | InNode
  | ArithNode
  | BitOpNode
  | UnaryNode
  | ParenNode
  | IdentNode
  | IntNode
  | DurationNode
  | StringNode
  | PatternNode
  | RegexpNode
  | IPNode
  | CIDRNode
  | VariableNode;

/** A macro body: an expression, or a list (`[...]`) when it is not an expression. */
export type MacroNode = Node | ListNode;
