/**
 * The fuzzers (`npm run fuzz`) in a short run, so that they keep working: every
 * target runs for 3 seconds over dist/ and must pass. The long runs and what
 * they found are in the README, "Fuzzing".
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run.js';

describe('npm run fuzz, briefly', () => {
  it('node fuzz/run.mjs --seconds 3: every target runs and passes (exit 0)', () => {
    const r = spawnSync(process.execPath, ['fuzz/run.mjs', '--seconds', '3'], { cwd: ROOT, encoding: 'utf8', timeout: 110_000 });
    expect(r.stderr).toBe('');
    expect(r.status, r.stdout).toBe(0);
    for (const target of ['lines', 'json', 'query', 'project', 'fastcheck', 'bytes']) {
      expect(r.stdout).toMatch(new RegExp(`^ {3}${target}: \\d+ runs in \\d+\\.\\d min$`, 'm'));
    }
    const results = r.stdout.split('\n').filter((l) => / runs in [\d.]+ s, seed -?\d+: /.test(l));
    expect(results.length).toBeGreaterThanOrEqual(12);
    for (const line of results) {
      expect(line).toMatch(/: ok$/);
      expect(Number(/: (\d+) runs/.exec(line)![1])).toBeGreaterThan(0);
    }
  }, 120_000);

  it('--list names every property; a bad flag is a usage error (exit 2)', () => {
    const list = spawnSync(process.execPath, ['fuzz/run.mjs', '--list'], { cwd: ROOT, encoding: 'utf8' });
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^lines\/splitter-vs-reference: /m);
    expect(list.stdout).toMatch(/^query\/reference: /m);
    const bad = spawnSync(process.execPath, ['fuzz/run.mjs', '--seconds', 'soon'], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe('fuzz: --seconds takes a positive number');
  });
});
