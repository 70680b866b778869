/**
 * What csm-filter's line step reads of an event, as key paths from its root
 * (the byte pass extracts only these: scan.ts). A path stops at its first
 * step that is not a key (`[0]`, `[*]`): the value there is taken whole, as is
 * every value a path ends on. `undefined` means "the whole event": then the
 * byte pass is not used.
 */
import type { Segment } from '../path.js';
import type { Expr } from '../../query/ast.js';

/** Keys from the event's root; the value at the end is taken whole. */
export type KeyPath = readonly string[];

/**
 * What every line of csm-filter reads: its kind (`evt.name`), whether it is an
 * agent custom event (`agent.rule_id`: core/judge.ts), and for a line without
 * `evt.name` the envelope it looks like (`data`, `attributes`: core/hints.ts).
 */
export const LINE_READS: readonly KeyPath[] = [['evt', 'name'], ['agent', 'rule_id'], ['data'], ['attributes']];

/** The key steps of a path, up to its first step that is not a key. */
export function keyPrefix(segments: readonly Segment[]): KeyPath {
  const keys: string[] = [];
  for (const seg of segments) {
    if (seg.kind !== 'key') break;
    keys.push(seg.key);
  }
  return keys;
}

/** Every path a query reads (iterative over its and/or chains). */
export function queryReads(ast: Expr): KeyPath[] {
  const out: KeyPath[] = [];
  const stack: Expr[] = [ast];
  for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
    if (e.type === 'and' || e.type === 'or') stack.push(...e.operands);
    else if (e.type === 'not') stack.push(e.operand);
    else out.push(keyPrefix(e.path.segments));
  }
  return out;
}

/** True when some path reads the whole event (no key step): the byte pass has nothing to leave out. */
export function readsWhole(paths: readonly KeyPath[]): boolean {
  return paths.some((p) => p.length === 0);
}

/**
 * What a compiled filter reads (core/filter-line.ts): undefined when some part reads the whole event.
 * `secl`: what each SECL program reads (`seclReads`, core/bytes/secl-reads.ts; undefined: the whole event).
 */
export function filterReads(parts: { queries: readonly Expr[]; secl: readonly (readonly KeyPath[] | undefined)[]; paths: readonly { segments: readonly Segment[] }[] }): KeyPath[] | undefined {
  const out: KeyPath[] = [];
  for (const ast of parts.queries) out.push(...queryReads(ast));
  for (const r of parts.secl) {
    if (r === undefined) return undefined;
    out.push(...r);
  }
  for (const p of parts.paths) out.push(keyPrefix(p.segments));
  return readsWhole(out) ? undefined : out;
}
