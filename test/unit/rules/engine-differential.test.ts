/**
 * The rule engine's shortcuts change no verdict. Over the default policy, on real and
 * generated events (examples/, ../shared/corpus/, test/fixtures/rules/, a seeded stream of
 * bench/generate.mjs) and on events mutated to carry the numbers JSON.parse cannot hold,
 * each event's matching rule ids are those of the straightforward evaluation kept here as
 * the reference: the rule set of the event's agent compiled afresh, every evaluable rule of
 * the event's type run on its own field source (no field read shared between rules) over
 * the event as the lossless parser reads it.
 *
 * The shortcuts it covers: rule sets found by the agent's strings, one field read shared
 * by all rules, the lossless parse done only when a rule reads a number it changes
 * (`inexactNumbers`), the glob and regexp fast refusals (also checked on their own in
 * test/unit/secl/match-fast.test.ts), the index of rules by their guards (a rule whose
 * guard fails is not run), and the event made from the line's bytes with only what the
 * rules read (rules/sparse-events.ts: every comparison is made on it too).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { needsLossless, parseLossless } from '../../../src/core/json.js';
import { backendEventType } from '../../../src/secl/backend.js';
import { cachedEventSource, eventProfile } from '../../../src/rules/event-source.js';
import { buildRuleSet, loadPolicies, RuleEngine, type PolicySet } from '../../../src/rules/index.js';
import { SparseEvents } from '../../../src/rules/sparse-events.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const policy = loadPolicies([{ name: 'default.policy', text: readFileSync(join(ROOT, '..', 'shared', 'policies', 'default.policy'), 'utf8') }]);

/** The reference: every applicable rule, each on its own, over the exact event. */
function reference(set: PolicySet, exact: unknown): string[] {
  const rs = buildRuleSet(set, eventProfile(exact));
  const type = backendEventType(exact);
  const out: string[] = [];
  for (const r of rs.rules) {
    if (r.evaluability.kind === 'not-evaluable') continue;
    const applicable = r.variants.filter((v) => v.types === undefined || (type !== undefined && v.types.includes(type)));
    if (applicable.some((v) => v.match(cachedEventSource(exact)))) out.push(r.id);
  }
  return out;
}

/** The engine as csm-rules runs it: the plain JSON.parse value, the exact one on demand. */
function optimised(engine: RuleEngine, text: string): string[] {
  const plain: unknown = JSON.parse(text);
  let exactCalls = 0;
  return engine.evaluate(plain, false, () => {
    exactCalls++;
    expect(exactCalls).toBe(1);
    return needsLossless(text) ? parseLossless(text) : plain;
  }).matched;
}

/** The engine on the event csm-rules makes from the line's bytes (only what the rules read, made when read). */
function onBytes(engine: RuleEngine, sparse: SparseEvents, text: string): string[] {
  const e = sparse.event({ line: 1, offset: 0, bytes: Buffer.from(text) });
  if ('notJson' in e) throw new Error(`not taken on the bytes: ${text.slice(0, 200)}`);
  return engine.evaluate(e.event, false, e.exact).matched;
}

/** The optimised engine on the parsed line and on its bytes, against the reference. */
function expectReference(engine: RuleEngine, sparse: SparseEvents, text: string): string[] {
  const want = reference(policy.set, exactOf(text));
  expect(optimised(engine, text), text.slice(0, 200)).toEqual(want);
  expect(onBytes(engine, sparse, text), text.slice(0, 200)).toEqual(want);
  return want;
}

/** A fresh engine and the byte path over it (csm-rules' default line limit). */
function engines(): { engine: RuleEngine; sparse: SparseEvents } {
  const engine = new RuleEngine(policy.set);
  return { engine, sparse: new SparseEvents([engine], 64 * 1024 * 1024) };
}

function exactOf(text: string): unknown {
  return needsLossless(text) ? parseLossless(text) : JSON.parse(text);
}

/** The JSON object lines of a file. */
function objectLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => {
      try {
        const v: unknown = JSON.parse(l);
        return typeof v === 'object' && v !== null && !Array.isArray(v);
      } catch {
        return false;
      }
    });
}

const dir = mkdtempSync(join(tmpdir(), 'engine-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function generated(seed: number, size: string): string[] {
  const out = join(dir, `gen-${seed}.ndjson`);
  execFileSync(process.execPath, [join(ROOT, 'bench', 'generate.mjs'), '--size', size, '--seed', String(seed), '--invalid', '0', '--out', out]);
  return objectLines(out);
}

const REAL = [
  join(ROOT, 'examples', 'events.ndjson'),
  join(ROOT, 'examples', 'mixed-agents.ndjson'),
  join(ROOT, '..', 'shared', 'corpus', 'events.ndjson'),
  join(ROOT, 'test', 'fixtures', 'rules', 'match.ndjson'),
  join(ROOT, 'test', 'fixtures', 'rules', 'near-miss.ndjson'),
];

function sameAsReference(lines: readonly string[]): number {
  const { engine, sparse } = engines();
  let matched = 0;
  for (const text of lines) matched += expectReference(engine, sparse, text).length;
  return matched;
}

describe('the optimised engine gives, per event, the rules the reference evaluation gives', () => {
  it('on the real events of examples/, ../shared/corpus/ and the rule fixtures', () => {
    const lines = REAL.flatMap(objectLines);
    expect(lines.length).toBeGreaterThan(40);
    // The fixtures are built to match ten real rules: the comparison is not vacuous.
    expect(sameAsReference(lines)).toBeGreaterThanOrEqual(10);
  });

  it('on a generated stream (bench/generate.mjs, two seeds)', { timeout: 60_000 }, () => {
    const lines = [...generated(7, '400KB'), ...generated(11, '400KB')];
    expect(lines.length).toBeGreaterThan(200);
    expect(sameAsReference(lines)).toBeGreaterThan(20);
  });

  it('on the varied stream (bench/generate.mjs --shape varied: many agent versions and random origins, one rule set per signature)', { timeout: 120_000 }, () => {
    const out = join(dir, 'varied.ndjson');
    execFileSync(process.execPath, [join(ROOT, 'bench', 'generate.mjs'), '--shape', 'varied', '--size', '300KB', '--seed', '5', '--out', out]);
    const lines = objectLines(out);
    const agents = new Set(lines.map((l) => JSON.stringify((JSON.parse(l) as { agent?: unknown }).agent ?? null)));
    expect(agents.size).toBeGreaterThan(50);
    expect(sameAsReference(lines)).toBeGreaterThan(0);
  });

  it('shares one rule set between agents that take the same definitions, each under its own profile', () => {
    const engine = new RuleEngine(policy.set);
    const a = engine.ruleSet({ os: 'linux', origin: 'ebpf', version: { major: 7, minor: 60, patch: 1 } });
    const b = engine.ruleSet({ os: 'linux', origin: 'x-random', version: { major: 7, minor: 60, patch: 2 } });
    const old = engine.ruleSet({ os: 'linux', origin: 'ebpf', version: { major: 7, minor: 20, patch: 0 } });
    expect(policy.set.signature(a.set.profile)).toBe(policy.set.signature(b.set.profile));
    expect(b.byType).toBe(a.byType);
    expect([a.set.profile.origin, b.set.profile.origin]).toEqual(['ebpf', 'x-random']);
    // An agent_version constraint of the default policy excludes some definitions for 7.20: its own rule set.
    expect(policy.set.signature(old.set.profile)).not.toBe(policy.set.signature(a.set.profile));
    expect(old.byType).not.toBe(a.byType);
  });

  const NUMBERS = ['18446744073709551615', '9007199254740993', '-9223372036854775808', '1e400', '-1e400', '-0', '1.50', '0', '1e2', '4096'];
  const NUMBER_TOKEN = /(?<=[:,[]\s*)-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?=\s*[,\]}])/g;

  it('on events whose every number is one JSON.parse changes (uint64 2^64-1 reads as 0 there)', { timeout: 60_000 }, () => {
    const { engine, sparse } = engines();
    let differs = 0;
    for (const line of REAL.flatMap(objectLines)) {
      for (const num of NUMBERS) {
        const text = line.replace(NUMBER_TOKEN, num);
        const want = expectReference(engine, sparse, text);
        const plainOnly = reference(policy.set, JSON.parse(text));
        if (plainOnly.join() !== want.join()) differs++;
      }
    }
    // Reading the plain value alone would have changed some verdicts: the lossless path is exercised.
    expect(differs).toBeGreaterThan(0);
  });

  it('on events whose variables and agent origin hold numbers (read as the exact event has them)', () => {
    const { engine, sparse } = engines();
    const execs = REAL.flatMap(objectLines).filter((l) => (JSON.parse(l) as { evt?: { name?: string } }).evt?.name === 'exec');
    expect(execs.length).toBeGreaterThan(3);
    let differs = 0;
    for (const line of execs) {
      for (const num of ['18446744073709551615', '1.5', '7', '"cgroup_x"', '[1, "cgroup_x"]']) {
        const event = JSON.parse(line) as { process: Record<string, unknown>; agent: Record<string, unknown> };
        const text = JSON.stringify({ ...event, process: { ...event.process, variables: { correlation_key: '@' } }, agent: { ...event.agent, origin: '#' } })
          .replace('"@"', num)
          .replace('"#"', num.startsWith('"') || num.startsWith('[') ? '"ebpf"' : num);
        const want = expectReference(engine, sparse, text);
        if (reference(policy.set, JSON.parse(text)).join() !== want.join()) differs++;
      }
    }
    expect(differs).toBeGreaterThan(0);
  });

  it('on events with some numbers changed (uint64, 1e400, -0, 1.50) and odd agent strings', { timeout: 60_000 }, () => {
    const base = [...REAL.flatMap(objectLines), ...generated(3, '60KB')];
    const { engine, sparse } = engines();
    fc.assert(
      fc.property(
        fc.constantFrom(...base),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...NUMBERS)), { minLength: 1, maxLength: 6 }),
        fc.option(fc.constantFrom('"7.50.0"', '"8.0.0"', '""', '1e400', '"linux"', '"windows"')),
        (line, edits, agentValue) => {
          // Replace some numbers of the line (and maybe an agent string) with the edge ones.
          const tokens = [...line.matchAll(NUMBER_TOKEN)];
          const chosen = new Map<number, string>();
          for (const [at, num] of edits) if (tokens.length > 0) chosen.set(at % tokens.length, num);
          let text = line;
          // From the last token back, so that the earlier offsets still hold.
          for (const [k, num] of [...chosen].sort((a, b) => b[0] - a[0])) {
            const t = tokens[k]!;
            text = text.slice(0, t.index) + num + text.slice(t.index + t[0].length);
          }
          if (agentValue !== null) text = text.replace(/"(version|os|origin)":\s*"[^"]*"/, `"$1":${agentValue}`);
          let ok = true;
          try {
            JSON.parse(text);
          } catch {
            ok = false;
          }
          if (!ok) return;
          expectReference(engine, sparse, text);
        },
      ),
      { numRuns: 300, seed: 15 },
    );
  });
});
