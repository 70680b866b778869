/**
 * The `$ csm-filter ... --count-by ...` blocks of README.md's "Counting"
 * section are real runs: each is run in examples/ with the tools on PATH, and
 * its output must be the block's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run.js';

const bin = mkdtempSync(join(tmpdir(), 'csm-count-docs-'));
symlinkSync(join(ROOT, 'bin/csm-filter.js'), join(bin, 'csm-filter'));
const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
delete env.NO_COLOR;
delete env.FORCE_COLOR;

const blocks = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/^```\n\$ (csm-filter [^\n]*--count-by[^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({
  command: m[1]!,
  shown: m[2]!,
}));

describe('README.md: the --count-by runs it shows', () => {
  it('has runs to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  it.each(blocks)('$ $command', ({ command, shown }) => {
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', command], { cwd: join(ROOT, 'examples'), env, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe(shown);
    expect(r.status).toBe(0);
  });
});
