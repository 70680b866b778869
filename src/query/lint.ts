/**
 * Query text that is valid but probably not what was meant: warnings at
 * compile time, never errors (the query runs as written).
 *
 * - a glob that looks like a regular expression (`"^/tmp/"`, `".*\.sh"`): in
 *   a glob `^`, `$`, `.`, `+` are plain characters and the whole string must
 *   match, so it matches almost nothing;
 * - a single `*` at either end of a glob on a path-like field (`file.path =~
 *   "/etc/*"`): `*` stops at `/`, so files deeper down are missed.
 */
import type { Expr, Literal } from './ast.js';
import { type QueryError, queryError } from './errors.js';

/** Signs of a regex in a glob: anchors, `.*`/`.+`, classes like `\d`, `(a|b)` groups. */
const REGEX_SIGNS = /^\^|[^\\]\$$|^\$$|\.\*|\.\+|\\[dwsDWS]|\([^)]*\|[^)]*\)/;

/** A glob that looks like a regex, and the regex literal that was probably meant. */
function regexLike(glob: string): boolean {
  return REGEX_SIGNS.test(glob);
}

/** The last key of a path, when it names a file-system path (`path`, `*_path`, `executable`...). */
function pathLike(expr: Extract<Expr, { type: 'compare' }>): boolean {
  const last = [...expr.path.segments].reverse().find((s) => s.kind === 'key');
  return last !== undefined && last.kind === 'key' && /(^|_|\.)path$/.test(last.key);
}

/** `"/etc/*"` -> `"/etc/**"`: the lone `*` at either end doubled. */
function deepened(glob: string): string | undefined {
  let out = glob;
  if (/(^|[^*\\])\*$/.test(out)) out = `${out}*`;
  if (/^\*(?!\*)/.test(out)) out = `*${out}`;
  return out === glob ? undefined : out;
}

function globsOf(lit: Literal): Extract<Literal, { type: 'string' }>[] {
  if (lit.type === 'string') return [lit];
  return lit.type === 'list' ? lit.items.flatMap(globsOf) : [];
}

/** Every warning of a query, in text order. */
export function lintQuery(ast: Expr): QueryError[] {
  const out: QueryError[] = [];
  const visit = (e: Expr): void => {
    if (e.type === 'and' || e.type === 'or') e.operands.forEach(visit);
    else if (e.type === 'not') visit(e.operand);
    else if (e.type === 'compare' && (e.op === '=~' || e.op === '!~')) {
      for (const lit of globsOf(e.value)) {
        const glob = lit.value;
        if (regexLike(glob)) {
          out.push(
            queryError(
              'glob',
              `${JSON.stringify(glob)} is a glob, which matches the whole string and takes ^ $ . + ( | as plain characters; for a regular expression write r${JSON.stringify(glob)}`,
              lit.span,
            ),
          );
          continue;
        }
        const deeper = pathLike(e) ? deepened(glob) : undefined;
        if (deeper !== undefined) {
          out.push(
            queryError(
              'glob',
              `'*' stops at '/': ${JSON.stringify(glob)} matches within one directory level; to match at any depth write ${JSON.stringify(deeper)}`,
              lit.span,
            ),
          );
        }
      }
    }
  };
  visit(ast);
  return out;
}
