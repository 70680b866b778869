/**
 * A policy file's text -> its definitions, as the agent's `LoadPolicy` decodes it with
 * yaml.v3 into `PolicyDef` (`rules/model.go`): unknown keys are ignored, a scalar goes
 * into a string field as its text, a wrong shape (a list where a string is expected) is
 * an error. Every definition keeps where it is in the file (offsets), and an expression
 * keeps the offset of each of its characters, so that an error inside it is located in
 * the file, line and column, whatever the YAML quoting or block style.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { MacroNode, Node as SeclNode } from '../secl/ast.js';
import { policyError, type PolicyError } from './errors.js';

/** A string of the file with the file offset of each of its characters (one more: its end). */
export interface Located {
  readonly text: string;
  readonly offsets: readonly number[];
}

export interface SetActionDef {
  name: string;
  scope?: string;
  field?: string;
  expression?: string;
  value?: unknown;
  defaultValue?: unknown;
  append: boolean;
}

export interface ActionDef {
  filter?: Located;
  set?: SetActionDef;
  /** The other actions (kill, hash, log, coredump, network_filter), by name; not evaluated. */
  other?: string;
}

export interface MacroDef {
  id: string;
  expression?: Located;
  values?: string[];
  description?: string;
  agentVersion?: Located;
  filters: Located[];
  combine?: string;
  /** The expression parsed (by the policy checks), so that it is parsed once (and cached with the policy). */
  ast?: MacroNode;
  /** Where the definition starts in the file. */
  at: number;
}

export interface RuleDef {
  id: string;
  expression?: Located;
  description?: string;
  tags: Record<string, string>;
  productTags: string[];
  agentVersion?: Located;
  filters: Located[];
  disabled: boolean;
  combine?: string;
  overrideFields: string[];
  actions: ActionDef[];
  every?: string;
  silent: boolean;
  groupId?: string;
  /** An expression was given but is not a string (already an error). */
  badExpression?: true;
  /** The expression parsed (by the policy checks), so that it is parsed once. */
  ast?: SeclNode;
  at: number;
}

export interface PolicyDef {
  version?: string;
  replacePolicyId?: string;
  macros: MacroDef[];
  rules: RuleDef[];
}

export interface SourceFile {
  /** The name errors give (a path as typed). */
  name: string;
  text: string;
}

/**
 * The offsets of the characters of a scalar's value in the file: the value's characters
 * are found in order in the scalar's source (quotes, `''` escapes, folding and block
 * indentation are skipped); an escape sequence (`\t`, `\u00e9`) maps to where it starts.
 */
function scalarOffsets(source: string, node: Scalar, value: string): number[] {
  const [start, end] = node.range ?? [0, 0];
  let j = start;
  if (node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE') j++;
  else if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    const nl = source.indexOf('\n', start);
    j = nl < 0 || nl > end ? end : nl + 1;
  }
  const offsets: number[] = [];
  for (const ch of value) {
    let k = j;
    const limit = Math.min(end, j + 64);
    while (k < limit && source.slice(k, k + ch.length) !== ch) k++;
    if (k < limit) {
      offsets.push(k);
      j = k + ch.length;
    } else {
      offsets.push(Math.min(j, end));
      if (j < end) j++;
    }
    // A character outside the BMP is two UTF-16 units: both at its offset.
    if (ch.length === 2) offsets.push(offsets[offsets.length - 1]);
  }
  offsets.push(Math.min(j, end));
  return offsets;
}

class Decoder {
  readonly errors: PolicyError[] = [];
  constructor(readonly file: SourceFile, readonly lines: LineCounter) {}

  error(node: Node | Pair | undefined, message: string): void {
    const range = node !== undefined && 'range' in node && node.range ? node.range : undefined;
    const start = range?.[0] ?? 0;
    this.errors.push(policyError(this.file, this.lines, 'policy', message, { start, end: Math.max(start + 1, range?.[1] ?? start + 1) }));
  }

  /** A scalar as yaml.v3 puts it in a Go string: its text. */
  string(node: unknown, what: string): Located | undefined {
    if (node === undefined || node === null) return undefined;
    if (!isScalar(node)) {
      this.error(node as Node, `${what}: expected a string, found ${isSeq(node) ? 'a list' : 'a mapping'}`);
      return undefined;
    }
    if (node.value === null) return undefined;
    const src = (node as Scalar & { source?: string }).source;
    const text = typeof node.value === 'string' ? node.value : typeof src === 'string' ? src : String(node.value);
    // The offsets are needed only for an error: computed on first use.
    const source = this.file.text;
    let offsets: number[] | undefined;
    return {
      text,
      get offsets(): number[] {
        return (offsets ??= scalarOffsets(source, node, text));
      },
    };
  }

  text(node: unknown, what: string): string | undefined {
    return this.string(node, what)?.text;
  }

  bool(node: unknown, what: string): boolean {
    if (node === undefined || node === null) return false;
    if (isScalar(node)) {
      if (typeof node.value === 'boolean') return node.value;
      // yaml.v3 also takes YAML 1.1 booleans into a bool field.
      const t = String(node.value);
      if (/^(y|Y|yes|Yes|YES|on|On|ON|true|True|TRUE)$/.test(t)) return true;
      if (/^(n|N|no|No|NO|off|Off|OFF|false|False|FALSE)$/.test(t)) return false;
    }
    this.error(node as Node, `${what}: expected a boolean (true or false)`);
    return false;
  }

  list(node: unknown, what: string): unknown[] {
    if (node === undefined || node === null || (isScalar(node) && node.value === null)) return [];
    if (!isSeq(node)) {
      this.error(node as Node, `${what}: expected a list`);
      return [];
    }
    return node.items;
  }

  strings(node: unknown, what: string): Located[] {
    return this.list(node, what).flatMap((n) => this.string(n, what) ?? []);
  }

  map(node: unknown, what: string): YAMLMap | undefined {
    if (node === undefined || node === null || (isScalar(node) && node.value === null)) return undefined;
    if (!isMap(node)) {
      this.error(node as Node, `${what}: expected a mapping (key: value)`);
      return undefined;
    }
    return node;
  }

  /** The keys of a mapping (later duplicates are a YAML error already). */
  entries(m: YAMLMap | undefined): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const pair of m?.items ?? []) {
      const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (k !== undefined) out.set(k, pair.value);
    }
    return out;
  }

  plain(node: unknown): unknown {
    return node !== null && typeof node === 'object' && 'toJSON' in node ? (node as { toJSON(): unknown }).toJSON() : node;
  }

  macro(node: unknown, i: number): MacroDef | undefined {
    const m = this.map(node, `macros[${i}]`);
    if (m === undefined) return undefined;
    const e = this.entries(m);
    const where = `macro ${this.text(e.get('id'), 'id') ?? `#${i + 1}`}`;
    const def: MacroDef = {
      id: this.text(e.get('id'), `${where}: id`) ?? '',
      filters: this.strings(e.get('filters'), `${where}: filters`),
      at: m.range?.[0] ?? 0,
    };
    const expression = this.string(e.get('expression'), `${where}: expression`);
    if (expression !== undefined && expression.text !== '') def.expression = expression;
    if (e.has('values')) def.values = this.strings(e.get('values'), `${where}: values`).map((v) => v.text);
    const desc = this.text(e.get('description'), `${where}: description`);
    if (desc !== undefined) def.description = desc;
    const av = this.string(e.get('agent_version'), `${where}: agent_version`);
    if (av !== undefined) def.agentVersion = av;
    const combine = this.text(e.get('combine'), `${where}: combine`);
    if (combine !== undefined && combine !== '') def.combine = combine;
    return def;
  }

  action(node: unknown, where: string): ActionDef | undefined {
    const m = this.map(node, `${where}: actions`);
    if (m === undefined) return undefined;
    const e = this.entries(m);
    const a: ActionDef = {};
    const filter = this.string(e.get('filter'), `${where}: action filter`);
    if (filter !== undefined) a.filter = filter;
    const set = this.map(e.get('set'), `${where}: set`);
    if (set !== undefined) {
      const s = this.entries(set);
      const def: SetActionDef = { name: this.text(s.get('name'), `${where}: set.name`) ?? '', append: this.bool(s.get('append'), `${where}: set.append`) };
      for (const [key, prop] of [['scope', 'scope'], ['field', 'field'], ['expression', 'expression']] as const) {
        const v = this.text(s.get(key), `${where}: set.${key}`);
        if (v !== undefined && v !== '') def[prop] = v;
      }
      if (s.has('value')) def.value = this.plain(s.get('value'));
      if (s.has('default_value')) def.defaultValue = this.plain(s.get('default_value'));
      a.set = def;
    }
    const other = ['kill', 'hash', 'coredump', 'log', 'network_filter'].find((k) => e.has(k));
    if (other !== undefined) a.other = other;
    return a;
  }

  rule(node: unknown, i: number): RuleDef | undefined {
    const m = this.map(node, `rules[${i}]`);
    if (m === undefined) return undefined;
    const e = this.entries(m);
    const where = `rule ${this.text(e.get('id'), 'id') ?? `#${i + 1}`}`;
    const tags: Record<string, string> = {};
    for (const [k, v] of this.entries(this.map(e.get('tags'), `${where}: tags`))) tags[k] = this.text(v, `${where}: tags.${k}`) ?? '';
    const override = this.entries(this.map(e.get('override_options'), `${where}: override_options`));
    const def: RuleDef = {
      id: this.text(e.get('id'), `${where}: id`) ?? '',
      tags,
      productTags: this.strings(e.get('product_tags'), `${where}: product_tags`).map((t) => t.text),
      filters: this.strings(e.get('filters'), `${where}: filters`),
      disabled: this.bool(e.get('disabled'), `${where}: disabled`),
      overrideFields: this.strings(override.get('fields'), `${where}: override_options.fields`).map((f) => f.text),
      actions: this.list(e.get('actions'), `${where}: actions`).flatMap((a) => this.action(a, where) ?? []),
      silent: this.bool(e.get('silent'), `${where}: silent`),
      at: m.range?.[0] ?? 0,
    };
    const before = this.errors.length;
    const expression = this.string(e.get('expression'), `${where}: expression`);
    if (expression !== undefined && expression.text !== '') def.expression = expression;
    if (this.errors.length > before) def.badExpression = true;
    const optional = [
      ['description', 'description'],
      ['combine', 'combine'],
      ['every', 'every'],
      ['group_id', 'groupId'],
    ] as const;
    for (const [key, prop] of optional) {
      const v = this.text(e.get(key), `${where}: ${key}`);
      if (v !== undefined && v !== '') def[prop] = v;
    }
    const av = this.string(e.get('agent_version'), `${where}: agent_version`);
    if (av !== undefined) def.agentVersion = av;
    return def;
  }
}

/** Decodes a policy file; YAML errors and wrong shapes are errors located in the file. */
export function decodePolicy(file: SourceFile): { def: PolicyDef; errors: PolicyError[] } {
  const lines = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const d = new Decoder(file, lines);
  const def: PolicyDef = { macros: [], rules: [] };
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const [start, end] = err.pos;
      d.errors.push(policyError(file, lines, 'yaml', err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''), { start, end: Math.max(end, start + 1) }));
    }
    return { def, errors: d.errors };
  }
  const root = d.map(doc.contents, 'the policy');
  const e = d.entries(root);
  const version = d.text(e.get('version'), 'version');
  if (version !== undefined) def.version = version;
  const replace = d.text(e.get('replace_policy_id'), 'replace_policy_id');
  if (replace !== undefined) def.replacePolicyId = replace;
  def.macros = d.list(e.get('macros'), 'macros').flatMap((n, i) => d.macro(n, i) ?? []);
  def.rules = d.list(e.get('rules'), 'rules').flatMap((n, i) => d.rule(n, i) ?? []);
  return { def, errors: d.errors };
}

export { LineCounter };
