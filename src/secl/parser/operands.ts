/**
 * SECL parser, operand level: primaries (fields, literals, parentheses) and the right side
 * of `in` (`Array = CIDR | Variable | Ident | "[" members "]"`, homogeneous lists).
 */
import type { ArrayNode, CIDRMemberNode, IdentNode, IntNode, ListNode, Node, StringMemberNode } from '../ast.js';
import { seclError } from '../errors.js';
import type { Token } from '../lexer.js';
import { Cursor, ParseFailure, join, parseIntText } from './cursor.js';

/** Primaries and lists; the expression levels above them are in `../parser.ts`. */
export abstract class OperandParser extends Cursor {
  abstract parseExpression(): Node;

  protected parseInt(t: Token): IntNode {
    const value = parseIntText(t.text);
    if (value === undefined) {
      throw new ParseFailure(
        seclError('syntax', `invalid integer ${t.text} (out of range, or not octal after a leading 0)`, t.span, {
          found: t.text,
        }),
      );
    }
    return { kind: 'int', value, raw: t.text, span: t.span };
  }

  parsePrimary(): Node {
    const t = this.peek();
    switch (t.type) {
      case 'Ident':
        this.next();
        return { kind: 'ident', name: t.text, span: t.span };
      case 'CIDR':
        this.next();
        return { kind: 'cidr', value: t.text, span: t.span };
      case 'IP':
        this.next();
        return { kind: 'ip', value: t.text, span: t.span };
      case 'Int':
        this.next();
        return this.parseInt(t);
      case 'Variable':
        this.next();
        return { kind: 'variable', name: t.text.slice(2, -1), span: t.span };
      case 'String':
        this.next();
        return { kind: 'string', value: t.value, span: t.span };
      case 'Pattern':
        this.next();
        return { kind: 'pattern', value: t.value, span: t.span };
      case 'Regexp':
        this.next();
        return { kind: 'regexp', value: t.value, span: t.span };
      case 'Duration':
        this.next();
        return { kind: 'duration', value: BigInt(t.value), raw: t.text, span: t.span };
      case 'Punct':
        if (t.text === '(') {
          this.next();
          this.enter(t);
          const expr = this.parseExpression();
          this.depth--;
          const close = this.peek();
          if (!this.isPunct(close, ')')) this.fail(`')' to close the '('`, close, t.span);
          this.next();
          return { kind: 'paren', expr, span: join(t.span, close.span) };
        }
        break;
      default:
        break;
    }
    return this.fail('a value (field, constant, string, number, pattern, regexp, IP, duration or "(")');
  }

  /** Array = CIDR | Variable | Ident | "[" members "]". */
  parseArray(): ArrayNode {
    const t = this.peek();
    switch (t.type) {
      case 'CIDR':
        this.next();
        return { kind: 'cidr', value: t.text, span: t.span };
      case 'Variable':
        this.next();
        return { kind: 'variable', name: t.text.slice(2, -1), span: t.span };
      case 'Ident':
        this.next();
        return { kind: 'ident', name: t.text, span: t.span };
      default:
        if (this.isPunct(t, '[')) return this.parseList();
        return this.fail('a list "[...]", a macro, a CIDR or a ${variable}');
    }
  }

  parseList(): ListNode {
    const open = this.next();
    const first = this.peek();
    let family: ListNode['family'];
    switch (first.type) {
      case 'String':
      case 'Pattern':
      case 'Regexp':
        family = 'string';
        break;
      case 'IP':
      case 'CIDR':
        family = 'cidr';
        break;
      case 'Int':
        family = 'int';
        break;
      case 'Ident':
        family = 'ident';
        break;
      default:
        return this.fail('a list member (string, pattern, regexp, IP, CIDR, integer or constant)', first);
    }
    const items: ListNode['items'] = [];
    for (;;) {
      items.push(this.parseMember(family));
      const t = this.peek();
      if (this.isPunct(t, ',')) {
        this.next();
        continue;
      }
      if (this.isPunct(t, ']')) {
        this.next();
        return { kind: 'list', family, items, span: join(open.span, t.span) };
      }
      return this.fail(`',' or ']' to close the '['`, t, open.span);
    }
  }

  protected parseMember(family: ListNode['family']): StringMemberNode | CIDRMemberNode | IntNode | IdentNode {
    const t = this.peek();
    switch (family) {
      case 'string':
        if (t.type === 'String') {
          this.next();
          return { kind: 'string', value: t.value, span: t.span };
        }
        if (t.type === 'Pattern') {
          this.next();
          return { kind: 'pattern', value: t.value, span: t.span };
        }
        if (t.type === 'Regexp') {
          this.next();
          return { kind: 'regexp', value: t.value, span: t.span };
        }
        return this.fail('a string, a pattern or a regexp (lists are not mixed)', t);
      case 'cidr':
        if (t.type === 'IP') {
          this.next();
          return { kind: 'ip', value: t.text, span: t.span };
        }
        if (t.type === 'CIDR') {
          this.next();
          return { kind: 'cidr', value: t.text, span: t.span };
        }
        return this.fail('an IP or a CIDR (lists are not mixed)', t);
      case 'int':
        if (t.type === 'Int') {
          this.next();
          return this.parseInt(t);
        }
        return this.fail('an integer (lists are not mixed)', t);
      case 'ident':
        if (t.type === 'Ident') {
          this.next();
          return { kind: 'ident', name: t.text, span: t.span };
        }
        return this.fail('a constant (lists are not mixed)', t);
    }
  }
}
