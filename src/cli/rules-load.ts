/**
 * csm-rules' command line: which arguments are policy files, and loading them (every
 * load error located, with its caret; exit 2).
 */
import { UsageError } from '../core/diagnostic.js';
import { isPolicyName } from '../io/policies.js';
import { cachedPolicyLoader } from '../io/policy-cache.js';
import { colorEnabled, makeChalk } from '../print/color.js';
import { formatPolicyError } from '../print/rules.js';
import { loadPolicies, type AgentProfile, type LoadedPolicies, type SourceFile } from '../rules/index.js';
import { colorMode } from './args.js';
import type { Io } from './io.js';

export const TOOL = 'csm-rules';

export interface RulesArgs {
  opts: Record<string, unknown>;
  /** Policy files, in the order they were given. */
  policies: string[];
  /** Event files (none: stdin). */
  events: string[];
}

/** Policy files (by name or `-p`) and event files, in command-line order. */
export function splitArgs(argv: readonly string[], positional: readonly string[], flagged: readonly string[]): { policies: string[]; events: string[] } {
  const policies: { path: string; at: number }[] = [];
  const events: string[] = [];
  const used = new Set<number>();
  const indexOf = (path: string): number => {
    let i = argv.findIndex((a, k) => !used.has(k) && (a === path || a === `--policy=${path}` || a === `-p${path}`));
    if (i < 0) i = argv.length;
    used.add(i);
    return i;
  };
  for (const p of flagged) policies.push({ path: p, at: indexOf(p) });
  for (const a of positional) {
    if (a !== '-' && isPolicyName(a)) policies.push({ path: a, at: indexOf(a) });
    else events.push(a);
  }
  return { policies: policies.sort((x, y) => x.at - y.at).map((p) => p.path), events };
}

/** Loads the policies; any load error is a usage error listing every one (each with its caret). */
export function loadOrFail(files: SourceFile[], io: Io, color: unknown, profile?: AgentProfile): LoadedPolicies {
  const loaded = loadPolicies(files, profile, cachedPolicyLoader(io.env));
  if (loaded.errors.length > 0) {
    const chalk = makeChalk(colorEnabled(colorMode(color), io.env, io.stderr.isTTY === true));
    const n = loaded.errors.length;
    const all = loaded.errors.map((e) => formatPolicyError(e, chalk)).join(`\n${TOOL}: `);
    // Rendered here (file names and messages escaped, the YAML line made safe): printed as it is.
    throw new UsageError(`${all}\n${TOOL}: ${n} error${n === 1 ? '' : 's'}: the policies do not load`, { rendered: true });
  }
  return loaded;
}

