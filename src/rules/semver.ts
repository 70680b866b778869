/**
 * `agent_version` constraints as the agent reads them: Masterminds/semver v3
 * (`validators.ValidateAgentVersionConstraint`: trimmed, empty is `*`), checked against
 * the agent's version without its pre-release and build metadata
 * (`NewAgentVersionFilter`: `7.56.0-rc.1+git.5` is checked as `7.56.0`).
 *
 * - `||` separates alternatives; inside one, constraints separated by commas or spaces
 *   must all hold (`>=7.65 <7.70`); an operator may be followed by spaces (`>= 7.46`);
 * - operators `=`, `!=`, `>`, `<`, `>=`, `=>`, `<=`, `=<`, `~`, `~>`, `^`; none is `=`;
 * - a missing or `x`/`*` part makes the constraint a range (`7.46` is `7.46.*`, and
 *   `> 7.46` wants `7.47` or more, as Masterminds reads a "dirty" constraint);
 * - `1.2 - 1.4.5` is `>= 1.2 <= 1.4.5`; a leading `v` is allowed.
 */

export interface Version {
  major: number;
  minor: number;
  patch: number;
}

interface Part {
  op: string;
  v: Version;
  /** The constraint had no (or a wildcard) minor / patch / major. */
  minorDirty: boolean;
  patchDirty: boolean;
  dirty: boolean;
}

export type Constraint = Part[][];

const NUM = '(?:0|[1-9][0-9]*|[xX*])';
const VERSION = `v?(${NUM})(?:\\.(${NUM}))?(?:\\.(${NUM}))?(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?`;
const OPS = '=>|=<|>=|<=|!=|~>|\\^|~|>|<|=';
const ONE = new RegExp(`^(${OPS})?\\s*${VERSION}$`);
const isX = (s: string | undefined): boolean => s === undefined || s === 'x' || s === 'X' || s === '*';

function parsePart(text: string): Part | undefined {
  const m = ONE.exec(text);
  if (m === null) return undefined;
  const [, op = '', maj, min, pat] = m;
  const n = (s: string | undefined): number => (isX(s) ? 0 : Number(s));
  const part: Part = { op, v: { major: n(maj), minor: n(min), patch: n(pat) }, dirty: false, minorDirty: false, patchDirty: false };
  if (isX(maj)) part.dirty = true;
  else if (isX(min)) part.dirty = part.minorDirty = true;
  else if (isX(pat)) part.dirty = part.patchDirty = true;
  return part;
}

/** Splits an AND group into constraints: `>= 7.46`, `>=7.65 <7.70`, `>1, <2`. */
function splitGroup(group: string): string[] | undefined {
  const hyphen = /^\s*(\S+)\s+-\s+(\S+)\s*$/.exec(group);
  if (hyphen !== null) return [`>=${hyphen[1]}`, `<=${hyphen[2]}`];
  const out: string[] = [];
  const tokens = group.split(/[\s,]+/).filter((t) => t !== '');
  for (let i = 0; i < tokens.length; i++) {
    let t = tokens[i];
    if (new RegExp(`^(${OPS})$`).test(t)) {
      if (i + 1 >= tokens.length) return undefined;
      t += tokens[++i];
    }
    out.push(t);
  }
  return out.length > 0 ? out : undefined;
}

/** Parses a constraint; undefined if it is not one (the agent then refuses the rule). */
export function parseConstraint(text: string): Constraint | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return [[parsePart('*')!]];
  const groups: Part[][] = [];
  for (const g of trimmed.split('||')) {
    const tokens = splitGroup(g);
    if (tokens === undefined) return undefined;
    const parts: Part[] = [];
    for (const t of tokens) {
      const p = parsePart(t);
      if (p === undefined) return undefined;
      parts.push(p);
    }
    groups.push(parts);
  }
  return groups;
}

function compare(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

function tilde(v: Version, c: Part): boolean {
  if (compare(v, c.v) < 0) return false;
  if (c.v.major === 0 && c.v.minor === 0 && c.v.patch === 0 && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.v.major) return false;
  return c.minorDirty || v.minor === c.v.minor;
}

function caret(v: Version, c: Part): boolean {
  if (compare(v, c.v) < 0) return false;
  if (c.v.major > 0 || c.minorDirty) return v.major === c.v.major;
  if (c.v.minor > 0 || c.patchDirty) return v.major === 0 && v.minor === c.v.minor;
  return v.major === 0 && v.minor === 0 && v.patch === c.v.patch;
}

function holds(v: Version, c: Part): boolean {
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde(v, c) : compare(v, c.v) === 0;
    case '!=':
      return c.dirty ? !tilde(v, c) : compare(v, c.v) !== 0;
    case '>':
      if (!c.dirty) return compare(v, c.v) > 0;
      if (v.major !== c.v.major) return v.major > c.v.major;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > c.v.minor;
      return compare(v, c.v) > 0;
    case '>=':
    case '=>':
      return compare(v, c.v) >= 0;
    case '<':
      return compare(v, c.v) < 0;
    case '<=':
    case '=<':
      if (!c.dirty) return compare(v, c.v) <= 0;
      if (v.major !== c.v.major) return v.major < c.v.major;
      return c.minorDirty || v.minor <= c.v.minor;
    case '~':
    case '~>':
      return tilde(v, c);
    case '^':
      return caret(v, c);
    default:
      return false;
  }
}

/** The agent's version as it checks it: `major.minor.patch`, pre-release and metadata dropped. */
export function parseAgentVersion(text: string): Version | undefined {
  const m = /^\s*v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?\s*$/.exec(text);
  if (m === null) return undefined;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0) };
}

export function satisfies(v: Version, c: Constraint): boolean {
  return c.some((group) => group.every((p) => holds(v, p)));
}
