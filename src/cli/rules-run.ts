/**
 * `csm-rules match` and `csm-rules diff`: the line tools' run (inputs, reports, summary,
 * signals, exit status, `--jobs`) with the rules' per-line step (io/rules-job.ts).
 */
import { availableParallelism } from 'node:os';
import { ExitCode, UsageError } from '../core/diagnostic.js';
import { closest } from '../core/schema-index/suggest.js';
import { inputSpecs } from '../io/input.js';
import { readPolicyFiles } from '../io/policies.js';
import { prepareRules, type RulesJobSettings } from '../io/rules-job.js';
import { colorEnabled, makeChalk } from '../print/color.js';
import type { ErrorFormat } from '../print/report.js';
import { diffSink, matchSink, type DiffCounts, type MatchFormat } from '../print/rules.js';
import { formatRuleStats, type RuleStats } from '../print/rule-stats.js';
import type { LoadedPolicies, RuleSet } from '../rules/index.js';
import type { Io } from './io.js';
import { INLINE_BYTES, reportSettings, runLines, type LineRunSettings } from './line-run.js';
import { loadOrFail, TOOL, type RulesArgs } from './rules-load.js';
import { checkOutputPaths } from './run-state.js';

/** `--rule` ids must be rules of the policies, and rules that can be evaluated. */
function checkRuleIds(ids: readonly string[], loaded: readonly LoadedPolicies[]): void {
  const all = new Map(loaded.flatMap((l) => l.ruleSet.rules.map((r) => [r.id, r] as const)));
  const skipped = new Map(loaded.flatMap((l) => l.ruleSet.skipped.map((s) => [s.id, s] as const)));
  for (const id of ids) {
    const r = all.get(id);
    if (r === undefined) {
      const s = skipped.get(id);
      if (s !== undefined) throw new UsageError(`--rule ${id}: ${s.reason}`);
      const best = closest(id, all.keys(), (k) => k, 3);
      throw new UsageError(`--rule ${id}: no such rule in the policies${best !== undefined ? ` — did you mean '${best}'?` : ''} (csm-rules check lists them)`);
    }
    if (r.evaluability.kind === 'not-evaluable') {
      throw new UsageError(`--rule ${id}: cannot be evaluated from the backend JSON: ${r.evaluability.reasons.map((x) => x.detail ?? x.group).join(', ')}`);
    }
  }
}

function runSettings(args: RulesArgs, jobs: number | undefined): Omit<LineRunSettings, 'inputs'> & { inputs: ReturnType<typeof inputSpecs> } {
  const o = args.opts;
  const inputs = inputSpecs(args.events);
  const outputs: { flag: string; path: string }[] = [];
  if (o.errors !== undefined) outputs.push({ flag: '--errors', path: o.errors as string });
  if (o.summaryJson !== undefined) outputs.push({ flag: '--summary-json', path: o.summaryJson as string });
  checkOutputPaths(inputs, outputs);
  return {
    inputs,
    maxLineBytes: o.maxLineBytes as number,
    report: reportSettings(o),
    errorFormat: o.errorFormat as ErrorFormat,
    ...(o.errors !== undefined ? { errors: o.errors as string } : {}),
    jobs: jobs ?? availableParallelism(),
    inlineBytes: jobs === undefined ? INLINE_BYTES : 0,
  };
}

/**
 * An agent whose rule set has compile errors (a Windows agent: no Windows field table; a
 * macro only that version loads): said once per agent, the rules are not run.
 */
function noteRuleSet(set: RuleSet, io: Io): void {
  const errors = set.errors;
  if (errors.length === 0) return;
  const p = set.profile;
  const v = p.version === undefined ? '' : ` ${p.version.major}.${p.version.minor}.${p.version.patch}`;
  const first = errors[0]!;
  io.stderr.write(`${TOOL}: for a ${p.os}${v} agent, ${errors.length} definition${errors.length === 1 ? ' does' : 's do'} not compile and ${errors.length === 1 ? 'is' : 'are'} not run${p.os !== 'linux' ? ' (only the Linux field table is known)' : ''} (first: ${first.file}:${first.line}:${first.column}: ${first.message})\n`);
}

/** Says once what was not run, so that an empty answer has its reason. */
function noteNotRun(loaded: LoadedPolicies, only: readonly string[], io: Io): void {
  if (only.length > 0) return;
  const n = loaded.ruleSet.rules.filter((r) => r.evaluability.kind === 'not-evaluable').length;
  if (n > 0) io.stderr.write(`${TOOL}: ${n} rule${n === 1 ? '' : 's'} not run: ${n === 1 ? 'it reads' : 'they read'} fields the backend event does not have (csm-rules check lists them)\n`);
}

export async function runMatch(args: RulesArgs, io: Io): Promise<ExitCode> {
  if (args.policies.length === 0) throw new UsageError('match: no policy file (name it *.policy, *.yaml, *.yml, or give it with -p)');
  const o = args.opts;
  const files = readPolicyFiles(args.policies);
  const loaded = loadOrFail(files, io, o.color);
  const only = (o.rule as string[] | undefined) ?? [];
  checkRuleIds(only, [loaded]);
  const stats = o.stats === true;
  // Per-rule counts are kept in this thread: --stats runs in one.
  const settings = runSettings(args, stats ? 1 : (o.jobs as number | undefined));
  const job: RulesJobSettings = { mode: 'match', maxLineBytes: settings.maxLineBytes, policies: files, decoded: [loaded.set.policies], ...(only.length > 0 ? { rules: only } : {}) };
  const counts: RuleStats = new Map();
  const prepared = prepareRules(job, {
    loaded: [loaded.set],
    onRuleSet: (set) => noteRuleSet(set, io),
    ...(stats
      ? {
          onResult: (_i, r) => {
            for (const id of r.applied) {
              const c = counts.get(id) ?? { applied: 0, matched: 0 };
              c.applied++;
              counts.set(id, c);
            }
            for (const id of r.matched) counts.get(id)!.matched++;
          },
        }
      : {}),
  });
  noteNotRun(loaded, only, io);
  const format = o.format as MatchFormat;
  let matched = 0;
  const code = await runLines(TOOL, io, settings, {
    judge: (line) => prepared.judge(line),
    worker: { script: new URL('../io/rules-worker.js', import.meta.url), settings: job },
    sinks: ({ stdout }) => [
      ...(o.quiet === true ? [] : [matchSink(stdout, format, o.header !== false)]),
      { take: (_f, _l, v) => void (v.status === 'selected' && matched++) },
    ],
    done: () => false,
    kindsOf: 'selected',
  });
  if (stats) {
    const chalk = makeChalk(colorEnabled(settings.report.color, io.env, io.stderr.isTTY === true));
    io.stderr.write(formatRuleStats(loaded.ruleSet, counts, only, chalk));
  } else if (matched === 0 && code === ExitCode.ok) {
    io.stderr.write(`${TOOL}: no event matched a rule\n`);
  }
  return code;
}

export async function runDiff(args: RulesArgs, io: Io): Promise<ExitCode> {
  if (args.policies.length !== 2) {
    throw new UsageError(`diff takes two policy files, OLD and NEW, found ${args.policies.length} (policy files end in .policy, .yaml or .yml, or come with -p)`);
  }
  const o = args.opts;
  const [oldFiles, newFiles] = [readPolicyFiles([args.policies[0]]), readPolicyFiles([args.policies[1]])];
  const loaded = [loadOrFail(oldFiles, io, o.color), loadOrFail(newFiles, io, o.color)];
  const only = (o.rule as string[] | undefined) ?? [];
  for (const id of only) {
    if (!loaded.some((l) => l.ruleSet.rules.some((r) => r.id === id))) checkRuleIds([id], loaded);
  }
  const settings = runSettings(args, o.jobs as number | undefined);
  const job: RulesJobSettings = { mode: 'diff', maxLineBytes: settings.maxLineBytes, policies: oldFiles, newPolicies: newFiles, decoded: loaded.map((l) => l.set.policies), ...(only.length > 0 ? { rules: only } : {}) };
  const prepared = prepareRules(job, { loaded: loaded.map((l) => l.set), onRuleSet: (set) => noteRuleSet(set, io) });
  const counts: DiffCounts = { counts: new Map() };
  const code = await runLines(TOOL, io, settings, {
    judge: (line) => prepared.judge(line),
    worker: { script: new URL('../io/rules-worker.js', import.meta.url), settings: job },
    sinks: ({ stdout }) => [diffSink(stdout, o.show === true, counts)],
    done: () => false,
    kindsOf: 'selected',
  });
  if (counts.counts.size === 0 && code === ExitCode.ok) io.stderr.write(`${TOOL}: no rule matches differently with ${args.policies[1]} than with ${args.policies[0]}\n`);
  return code;
}
