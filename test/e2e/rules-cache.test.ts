/**
 * csm-rules' cache of decoded policies (src/io/policy-cache.ts), through bin/ and the
 * loader: a run that reads a policy from the cache prints exactly what a run that decodes
 * it prints (events, rule ids, load errors with their carets); an entry is keyed by the
 * file's content, so a changed file is decoded again; a corrupt entry is ignored and
 * rewritten; CSM_RULES_CACHE=off writes nothing; a cache that cannot be written is no error.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedPolicyLoader } from '../../src/io/policy-cache.js';
import { loadPolicy } from '../../src/rules/index.js';
import { ROOT, SHARED, run } from '../helpers/run.js';

const POLICY = `${SHARED}policies/default.policy`;
const MATCH = `${ROOT}test/fixtures/rules/match.ndjson`;
const BROKEN = `${ROOT}test/fixtures/rules/broken.policy`;
const entries = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.v8'));

describe('the policy cache', () => {
  it('gives, from a cached entry, exactly the output of a run that decodes the policy', { timeout: 60_000 }, async () => {
    const cache = mkdtempSync(join(tmpdir(), 'rules-cache-'));
    const env = { CSM_RULES_CACHE: cache };
    const off = await run('csm-rules', ['match', '--format', 'tsv', POLICY, MATCH], { env: { CSM_RULES_CACHE: 'off' } });
    const first = await run('csm-rules', ['match', '--format', 'tsv', POLICY, MATCH], { env });
    expect(entries(cache)).toHaveLength(1);
    const second = await run('csm-rules', ['match', '--format', 'tsv', POLICY, MATCH], { env });
    expect(off.code).toBe(0);
    expect(off.out.split('\n').length).toBeGreaterThan(10);
    for (const r of [first, second]) expect([r.code, r.out, r.stderr]).toEqual([off.code, off.out, off.stderr]);
  });

  it('gives a policy that does not load the same errors and carets from the cache', { timeout: 60_000 }, async () => {
    const cache = mkdtempSync(join(tmpdir(), 'rules-cache-'));
    const off = await run('csm-rules', ['check', BROKEN], { env: { CSM_RULES_CACHE: 'off' } });
    await run('csm-rules', ['check', BROKEN], { env: { CSM_RULES_CACHE: cache } });
    const cached = await run('csm-rules', ['check', BROKEN], { env: { CSM_RULES_CACHE: cache } });
    expect(off.code).toBe(2);
    expect([cached.code, cached.stderr]).toEqual([off.code, off.stderr]);
  });

  it('decodes a changed file again, ignores a corrupt entry, writes nothing when off', () => {
    const cache = mkdtempSync(join(tmpdir(), 'rules-cache-'));
    const file = { name: 'p.policy', text: 'rules:\n  - id: a\n    expression: exec.file.name == "x"\n' };
    const load = cachedPolicyLoader({ CSM_RULES_CACHE: cache });
    expect(load(file)).toEqual(loadPolicy(file));
    const [entry] = entries(cache);
    expect(load(file)).toEqual(loadPolicy(file));
    const changed = { ...file, text: file.text.replace('"x"', '"y"') };
    expect(load(changed)).toEqual(loadPolicy(changed));
    expect(entries(cache)).toHaveLength(2);
    writeFileSync(join(cache, entry!), 'not a v8 value');
    expect(load(file)).toEqual(loadPolicy(file));
    expect(readFileSync(join(cache, entry!)).length).toBeGreaterThan(100);
    const none = mkdtempSync(join(tmpdir(), 'rules-cache-'));
    expect(cachedPolicyLoader({ CSM_RULES_CACHE: 'off', XDG_CACHE_HOME: none })(file)).toEqual(loadPolicy(file));
    expect(readdirSync(none)).toEqual([]);
    // A cache that cannot be written (a file where its directory should be) is no error.
    const blocked = join(none, 'file');
    writeFileSync(blocked, '');
    expect(cachedPolicyLoader({ CSM_RULES_CACHE: join(blocked, 'sub') })(file)).toEqual(loadPolicy(file));
  });
});
