/**
 * csm-filter as a real process: stdout closed early by `| head`. Selection,
 * paths, formats, errors and exit statuses are tested through main in
 * test/cli/filter.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, binPath, lines } from '../helpers/run.js';

const examples = readFileSync(EXAMPLES, 'utf8');
const events = lines(examples).map((l) => JSON.parse(l) as Record<string, any>);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'csm-filter-'));
});

describe('csm-filter: a reader that goes away', () => {
  it('exits 0 quietly when stdout closes early (| head -1)', async () => {
    const big = join(dir, 'big.ndjson');
    writeFileSync(big, examples.repeat(3000));
    const r = spawnSync('bash', ['-c', `set -o pipefail; node ${JSON.stringify(binPath('csm-filter'))} -f title ${big} | head -1; echo "status=$?" >&2`], { encoding: 'utf8' });
    expect(r.stdout).toBe(`${JSON.stringify({ title: events[0]!.title })}\n`);
    expect(r.stderr).toBe('status=0\n');
  });
});
