/** Small policies and events for the csm-rules loader and engine tests. */
import { loadPolicies, RuleEngine, type AgentProfile, type SourceFile } from '../../../src/rules/index.js';

/** A policy file from lines (YAML), named `name`. */
export function file(name: string, ...lines: string[]): SourceFile {
  return { name, text: `${lines.join('\n')}\n` };
}

/** The ids of the rules an agent runs (and those it does not, with why). */
export function loaded(files: SourceFile[], profile?: AgentProfile) {
  const l = loadPolicies(files, profile);
  return {
    errors: l.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`),
    run: l.ruleSet.rules.map((r) => r.id),
    skipped: l.ruleSet.skipped.map((s) => `${s.id}: ${s.reason}`),
    rules: l.ruleSet.rules,
    set: l.set,
  };
}

/** A minimal backend exec event. */
export function execEvent(path: string, extra: { version?: string; os?: string; uid?: number; comm?: string } = {}): unknown {
  return {
    agent: { rule_id: 'x', version: extra.version ?? '7.60.0', os: extra.os ?? 'linux', origin: 'ebpf' },
    evt: { name: 'exec' },
    date: '2024-05-14T09:30:00Z',
    file: { path, name: path.split('/').pop() },
    process: { pid: 1, uid: extra.uid ?? 0, comm: extra.comm ?? 'sh', executable: { path, name: path.split('/').pop() } },
  };
}

/** The rules matching an event with these policies. */
export function matches(files: SourceFile[], event: unknown): string[] {
  const l = loadPolicies(files);
  if (l.errors.length > 0) throw new Error(l.errors.map((e) => e.message).join('; '));
  return new RuleEngine(l.set).evaluate(event).matched;
}
