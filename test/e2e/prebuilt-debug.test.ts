/**
 * A missing or stale build-time validator is never used silently wrong: the
 * tool compiles the bundled schema at run time (same verdicts), and under
 * CSM_DEBUG says why. Needs a real installation whose dist/ we can change: a copy.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, ROOT } from '../helpers/run.js';

let copy: string;
const generated = (): string => join(copy, 'dist/generated/bundled-validators.cjs');
const validate = (env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(copy, 'bin/csm-validate.js'), '-q', EXAMPLES], {
    encoding: 'utf8',
    // Without the byte-level fast path (core/fastcheck), which proves the examples valid without ajv.
    env: { ...process.env, CSM_DEBUG: undefined, CSM_FASTCHECK: '0', ...env },
  });

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'csm-prebuilt-'));
  for (const d of ['bin', 'dist', 'schema', 'package.json']) cpSync(join(ROOT, d), join(copy, d), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('prebuilt validators', () => {
  it('current: used, and nothing said even under CSM_DEBUG', () => {
    const r = validate({ CSM_DEBUG: '1' });
    expect([r.status, r.stderr]).toEqual([0, '']);
  });

  it('stale (built from another schema text): not used; the same verdicts; CSM_DEBUG says it is stale', () => {
    const text = readFileSync(generated(), 'utf8');
    writeFileSync(generated(), text.replace(/exports\.schemaSha256 = "[0-9a-f]{64}"/, `exports.schemaSha256 = "${'0'.repeat(64)}"`));
    expect([validate().status, validate().stderr]).toEqual([0, '']);
    const r = validate({ CSM_DEBUG: '1' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^csm-validate: debug: prebuilt validators at .*bundled-validators\.cjs are stale .*compiling the bundled schema at run time\n$/);
  });

  it('missing: the same verdicts; CSM_DEBUG says none were found', () => {
    rmSync(generated());
    expect([validate().status, validate().stderr]).toEqual([0, '']);
    const r = validate({ CSM_DEBUG: '1' });
    expect(r.stderr).toMatch(/^csm-validate: debug: no prebuilt validators at .*: compiling the bundled schema at run time\n$/);
  });
});
