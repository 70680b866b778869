/**
 * Resolving a typed path against the schema index: which node it reaches, or
 * why it reaches none (with a "did you mean" when one is close).
 *
 * Dotted keys. `MountEvent` declares keys that contain dots (`mountpoint.path`).
 * `resolvePath` re-joins the plain (unquoted) keys of a path against the schema:
 * at each step it tries the longest run of dotted parts that is a declared key
 * first (`mount.mountpoint.path` -> `mount` / `mountpoint.path`), and falls back to
 * shorter ones only if the longer choice cannot resolve the rest of the path.
 * Under a free-form node parts are taken one at a time (write
 * `evt.variables["a.b"]` for a key with a dot there). Quoted keys are exact.
 */
import { formatPath, parsePath, type Path, type PathError, type Segment } from '../path.js';
import type { SchemaIndex, SchemaNode } from './graph.js';
import { suggest } from './suggest.js';

export type ResolveResult =
  | { ok: true; path: Path; node: SchemaNode | undefined }
  | { ok: false; error: PathError };

interface Failure {
  ok: false;
  /** index of the step that could not be taken */
  at: number;
  node: SchemaNode;
  /** the resolved steps before `at` */
  prefix: Segment[];
}
type Walk = { ok: true; node: SchemaNode; segments: Segment[] } | Failure;

/** `a string`, `an integer or a null`...; `a value` for no types (any value). */
export function describeTypes(types: readonly string[]): string {
  if (types.length === 0) return 'a value';
  return types
    .map((t) => (t === 'array' ? 'a list' : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`))
    .join(' or ');
}

/**
 * Walks the steps of one path down the index, trying every way to re-join
 * dotted keys. A failure is remembered per node and step, so a choice that
 * failed once is not tried again.
 */
class Walker {
  private readonly memo = new Map<SchemaNode, Map<number, Failure>>();
  constructor(private readonly segs: readonly Segment[]) {}

  /** Resolves steps `i`.. from `node`, after the resolved steps `prefix`: the node reached, or the failure that got furthest. */
  go(node: SchemaNode, i: number, prefix: Segment[]): Walk {
    const segs = this.segs;
    if (i === segs.length) return { ok: true, node, segments: prefix };
    const known = this.memo.get(node)?.get(i);
    if (known) return known;
    const fail: Failure = { ok: false, at: i, node, prefix };
    const seg = segs[i];
    let r: Walk;
    if (seg.kind === 'wildcard' || seg.kind === 'index') {
      const next = seg.kind === 'index' ? node.itemAt(seg.index) : node.items;
      r = node.acceptsIndex ? this.attempt(next ?? node, i + 1, [...prefix, seg], fail) : fail;
    } else if (seg.quoted) {
      const child = node.child(seg.key);
      r = child ? this.attempt(child, i + 1, [...prefix, seg], fail) : fail;
    } else {
      r = this.plainKeys(node, i, prefix, fail);
    }
    if (r.ok) return r;
    let byStep = this.memo.get(node);
    if (!byStep) this.memo.set(node, (byStep = new Map()));
    byStep.set(i, r);
    return r;
  }

  /** Resolves the rest from `node`: its success, or of its failure and `best` the one that got further. */
  private attempt(node: SchemaNode, i: number, prefix: Segment[], best: Failure): Walk {
    const r = this.go(node, i, prefix);
    return r.ok || r.at > best.at ? r : best;
  }

  /**
   * A plain key at step `i`: the longest run of plain keys from `i` that is a
   * declared key first, then shorter runs, then the free-form value node.
   */
  private plainKeys(node: SchemaNode, i: number, prefix: Segment[], fail: Failure): Walk {
    const segs = this.segs;
    let j = i;
    while (j + 1 < segs.length) {
      const s = segs[j + 1];
      if (s.kind !== 'key' || s.quoted) break;
      j++;
    }
    const children = node.children;
    let best = fail;
    for (let k = j; k >= i; k--) {
      let key = (segs[i] as { key: string }).key;
      for (let m = i + 1; m <= k; m++) key += '.' + (segs[m] as { key: string }).key;
      const child = children.get(key);
      if (!child) continue;
      const merged: Segment = {
        kind: 'key',
        key,
        span: { start: segs[i].span.start, end: segs[k].span.end },
        quoted: false,
      };
      const r = this.attempt(child, k + 1, [...prefix, merged], best);
      if (r.ok) return r;
      best = r;
    }
    const seg = segs[i] as Segment & { kind: 'key' };
    if (!children.has(seg.key) && node.freeForm && node.additional) {
      return this.attempt(node.additional, i + 1, [...prefix, seg], best);
    }
    return best;
  }
}

/**
 * Resolves a path against the schema: re-joins dotted keys (see the module
 * comment), checks every step, and returns the path with the real keys and the
 * node it reaches. An unknown key is an `unknown-field` error with a
 * suggestion when one is close (`unknown field 'process.arg' — did you mean
 * 'process.args'?`). Without an index the path is only parsed (split on every
 * dot) and `node` is undefined.
 */
export function resolvePath(index: SchemaIndex | null | undefined, rawPath: string | Path): ResolveResult {
  let path: Path;
  if (typeof rawPath === 'string') {
    const parsed = parsePath(rawPath);
    if (!parsed.ok) return parsed;
    path = parsed.path;
  } else {
    path = rawPath;
  }
  if (!index) return { ok: true, path, node: undefined };

  const segs = path.segments;
  const r = new Walker(segs).go(index.root, 0, []);
  if (r.ok) {
    return { ok: true, path: { segments: r.segments, text: path.text, span: path.span }, node: r.node };
  }
  return { ok: false, error: failureError(index, path, r) };
}

/** The path as typed up to and including `seg` (its canonical text when the typed text is not at hand). */
function typedThrough(path: Path, seg: Segment): string {
  const end = seg.span.end - path.span.start;
  if (end > 0 && end <= path.text.length && path.span.end - path.span.start === path.text.length) {
    return path.text.slice(0, end);
  }
  return formatPath(path.segments.slice(0, path.segments.indexOf(seg) + 1));
}

/** The `unknown-field` error of a walk that failed at step `f.at`, with a suggestion when one is close. */
function failureError(index: SchemaIndex, path: Path, f: Failure): PathError {
  const segs = path.segments;
  const seg = segs[f.at];
  const node = f.node;
  const here = f.prefix.length > 0 ? formatPath(f.prefix) : '';
  const span = seg.span;
  const error = (message: string, suggestion?: string): PathError => {
    const e: PathError = { code: 'unknown-field', message, span };
    if (suggestion !== undefined) {
      e.message += ` — did you mean '${suggestion}'?`;
      e.suggestion = suggestion;
    }
    return e;
  };
  if (seg.kind !== 'key') {
    const step = seg.kind === 'index' ? `[${seg.index}]` : '[*]';
    return error(`'${here}' is ${describeTypes(node.types)}, not a list: '${step}' does not apply`);
  }
  if (!node.acceptsKey && node.acceptsIndex && node.types.length > 0) {
    // a key step on a list: suggest looking into every element
    const fixed: Segment[] = [...segs.slice(0, f.at), { kind: 'wildcard', span: seg.span }, ...segs.slice(f.at)];
    const again = resolvePath(index, { segments: fixed, text: formatPath(fixed), span: { start: 0, end: 0 } });
    return error(
      `'${here}' is a list: a field of its elements is written '${here}[*].${seg.key}'`,
      again.ok ? formatPath(again.path) : undefined,
    );
  }
  if (!node.acceptsKey) {
    return error(`'${here}' is ${describeTypes(node.types)} and has no field '${seg.key}'`);
  }
  const typed = typedThrough(path, seg);
  return error(`unknown field '${typed}'`, aliasSuggestion(index, path, f) ?? suggest(index, segs, seg.key));
}

/**
 * Names from Datadog's rule language (SECL) that the JSON calls otherwise: SECL's
 * `process.file.path` is `process.executable.path` in the event.
 */
const ALIASES: Readonly<Record<string, readonly string[]>> = { file: ['executable'] };

/** The path with a SECL name replaced by the JSON's, when that resolves. */
function aliasSuggestion(index: SchemaIndex, path: Path, f: Failure): string | undefined {
  const seg = path.segments[f.at];
  if (seg.kind !== 'key' || !Object.hasOwn(ALIASES, seg.key)) return undefined;
  for (const alias of ALIASES[seg.key]) {
    if (!f.node.children.has(alias)) continue;
    const fixed: Segment[] = [...path.segments];
    fixed[f.at] = { kind: 'key', key: alias, span: seg.span, quoted: true };
    const again = resolvePath(index, { segments: fixed, text: formatPath(fixed), span: { start: 0, end: 0 } });
    if (again.ok) return formatPath(again.path);
  }
  return undefined;
}
