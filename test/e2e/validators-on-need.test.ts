/**
 * csm-validate loads each build-time validator only when a line needs it: with
 * the byte-level fast path (core/fastcheck), a valid line needs none and an
 * invalid one only the all-errors validator (its report), so the first-error
 * one is never loaded; without the fast path (`CSM_FASTCHECK=0`) both are. The
 * reports are the same either way.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, ROOT } from '../helpers/run.js';

let dir: string;
let input: string;
let preload: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'csm-on-need-'));
  const events = readFileSync(EXAMPLES, 'utf8').trim().split('\n');
  const broken = JSON.parse(events[0]!) as Record<string, unknown>;
  (broken.process as Record<string, unknown>).pid = 'forty-two';
  broken.extra = true;
  input = join(dir, 'events.ndjson');
  writeFileSync(input, `${events[1]}\n${JSON.stringify(broken)}\n${events[2]}\n`);
  // Says, as the process exits, which generated modules it loaded.
  preload = join(dir, 'loaded.cjs');
  writeFileSync(
    preload,
    `process.on('exit', () => process.stderr.write('loaded: ' + Object.keys(require.cache).filter((f) => f.includes('generated')).map((f) => require('path').basename(f)).sort().join(' ') + '\\n'));\n`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const validate = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['-r', preload, join(ROOT, 'bin/csm-validate.js'), '--jobs', '1', '--schema', 'linux-2024-08', input], {
    encoding: 'utf8',
    env: { ...process.env, CSM_DEBUG: undefined, CSM_FASTCHECK: undefined, ...env },
  });

describe('the build-time validators are loaded on need', () => {
  it('with the fast path, an invalid line loads the all-errors validator only', () => {
    const r = validate({});
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('loaded: bundled-validators.cjs bundled-validators.full.cjs\n');
    expect(r.stderr).toContain("/process/pid: expected integer, found string (type)");
    expect(r.stderr).toContain("(root): unknown key 'extra' (not in the schema) (additionalProperties)");
  });

  it('without it, both are loaded, and stdout, the report and the exit status are the same', () => {
    const on = validate({});
    const off = validate({ CSM_FASTCHECK: '0' });
    expect(off.stderr).toContain('loaded: bundled-validators.cjs bundled-validators.fast.cjs bundled-validators.full.cjs\n');
    const report = (text: string) => text.replace(/^loaded: .*\n/m, '');
    expect([off.status, off.stdout, report(off.stderr)]).toEqual([on.status, on.stdout, report(on.stderr)]);
  });
});
