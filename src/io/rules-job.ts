/**
 * What csm-rules match/diff compile, the same way in the main thread and in each `--jobs`
 * worker, from plain data (the policy files' texts): the rule engines and the per-line
 * step. A line's event is made (not JSON, not an object: invalid), on its bytes or by
 * parsing it whole, whichever measures faster (rules/path-choice.ts), then every applicable
 * rule runs on it (exact numbers from the lossless parser where the text needs it).
 *
 * - match: `selected` when some rule matches, its output the matching rule ids joined by
 *   commas (ids are `[a-zA-Z0-9_]*`);
 * - diff: `selected` when the OLD and NEW policies disagree on some rule, its output
 *   `OLD_ONLY_IDS|NEW_ONLY_IDS`.
 */
import { notAnEvent } from '../core/filter-line.js';
import { needsLossless, parseLossless } from '../core/json.js';
import type { Line } from '../core/lines.js';
import { invalid, parseEvent, type Verdict } from '../core/verdict.js';
import { loadPolicies, PolicySet, RuleEngine, type EventResult, type Policy, type RuleSet, type SourceFile } from '../rules/index.js';
import type { WorkerSettings } from './worker-serve.js';
import { SparseEvents } from '../rules/sparse-events.js';
import { EventWayChoice, type EventWay } from '../rules/path-choice.js';

export interface RulesJobSettings extends WorkerSettings {
  mode: 'match' | 'diff';
  /** match: the policies; diff: the OLD ones. */
  policies: SourceFile[];
  /** diff: the NEW policies. */
  newPolicies?: SourceFile[];
  /** `--rule`: only these ids. */
  rules?: string[];
  /**
   * The policies as the main thread loaded them (`PolicySet.policies`: plain data, cloned
   * into each worker), per engine: a worker builds its engines from them instead of
   * decoding the YAML and parsing every expression again (most of a worker's start).
   */
  decoded?: (readonly Policy[])[];
}

export interface RulesJob {
  engines: RuleEngine[];
  judge(line: Line): Verdict;
}

/** Parses a line into an event for the rules (or the verdict of a line that is none). */
export function eventOf(line: Line, maxLineBytes: number, notJson = false): { verdict: Verdict } | { event: unknown; exact: () => unknown; kind: string | null } {
  const parsed = parseEvent(line, maxLineBytes, notJson);
  if ('verdict' in parsed) return parsed;
  if (parsed.kind === undefined) return { verdict: invalid(undefined, [notAnEvent(parsed.value)]) };
  const { text, value } = parsed;
  // The exact event (uint64 digit for digit), parsed only if a rule reads a number it changes.
  let exact: unknown;
  return { event: value, exact: () => (exact ??= needsLossless(text) ? parseLossless(text) : value), kind: parsed.kind };
}

/** Compiles the engines (the policies are known to load: the main thread checked them). */
export function prepareRules(
  settings: RulesJobSettings,
  context: { loaded?: PolicySet[]; onResult?: (engine: number, r: EventResult) => void; onRuleSet?: (set: RuleSet) => void } = {},
): RulesJob {
  const only = settings.rules !== undefined && settings.rules.length > 0 ? { only: new Set(settings.rules) } : {};
  const opts = { ...only, ...(context.onRuleSet !== undefined ? { onRuleSet: context.onRuleSet } : {}) };
  const engine = (i: number, files: SourceFile[]): RuleEngine => {
    const decoded = settings.decoded?.[i];
    return new RuleEngine(context.loaded?.[i] ?? (decoded !== undefined ? new PolicySet(decoded) : loadPolicies(files).set), opts);
  };
  const engines = [engine(0, settings.policies), ...(settings.mode === 'diff' ? [engine(1, settings.newPolicies ?? [])] : [])];
  const onResult = context.onResult;
  // The rules' fields from the line's bytes (rules/sparse-events.ts) or the whole line parsed, whichever
  // measures faster on the data (rules/path-choice.ts); CSM_BYTESEL=0 / 1 forces one (README "Selection on the bytes").
  const env = process.env.CSM_BYTESEL;
  const sparse = env !== '0' ? new SparseEvents(engines, settings.maxLineBytes) : undefined;
  const choice = env === undefined || env === '' ? new EventWayChoice() : undefined;
  const eventOfLine = (line: Line, way: EventWay): ReturnType<typeof eventOf> => {
    const s = way === 'bytes' ? sparse?.event(line) : undefined;
    if (s === undefined || 'notJson' in s) return eventOf(line, settings.maxLineBytes, s?.notJson);
    // The byte pass takes on objects only, so the kind is a name or null (an object without evt.name).
    return { event: s.event, exact: s.exact, kind: s.kind ?? null };
  };
  const judgeWay = (line: Line, way: EventWay): Verdict => {
    const e = eventOfLine(line, way);
    if ('verdict' in e) return e.verdict;
    const a = evaluate(0, e.event, e.exact).matched;
    if (settings.mode === 'match') return a.length > 0 ? { status: 'selected', kind: e.kind, output: a.join(',') } : { status: 'skipped', kind: e.kind };
    const b = evaluate(1, e.event, e.exact).matched;
    const oldOnly = a.filter((id) => !b.includes(id));
    const newOnly = b.filter((id) => !a.includes(id));
    if (oldOnly.length === 0 && newOnly.length === 0) return { status: 'skipped', kind: e.kind };
    return { status: 'selected', kind: e.kind, output: `${oldOnly.join(',')}|${newOnly.join(',')}` };
  };
  const evaluate = (i: number, event: unknown, exact: () => unknown): EventResult => {
    const r = engines[i].evaluate(event, onResult !== undefined, exact);
    onResult?.(i, r);
    return r;
  };
  return {
    engines,
    judge(line) {
      if (choice === undefined) return judgeWay(line, sparse !== undefined ? 'bytes' : 'whole');
      const way = choice.way();
      if (!choice.timing) {
        choice.record(way, 0, 0);
        return judgeWay(line, way);
      }
      const t0 = performance.now();
      const verdict = judgeWay(line, way);
      choice.record(way, performance.now() - t0, line.bytes.length);
      return verdict;
    },
  };
}
