/**
 * What csm-filter's summary says, and what --validate reports: it counts what
 * it parsed (it validates nothing without --validate), charts the kinds of what
 * it selected, and validates only what the other conditions select.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/inprocess.js';
import { EXAMPLES } from '../helpers/run.js';

const BAD_OPEN = '{"evt":{"name":"open"}}';
const BAD_EXEC = '{"evt":{"name":"exec"}}';

describe('csm-filter --summary', () => {
  it('says parsed, not valid; selected; and charts the kinds of the selected events only', async () => {
    const r = await runMain('csm-filter', ['-k', 'exec', '-c', '--summary', EXAMPLES]);
    expect(r.stderr).toMatch(/^ {2}parsed\s+10$/m);
    expect(r.stderr).not.toMatch(/^ {2}valid\s/m);
    expect(r.stderr).toMatch(/^ {2}selected\s+2$/m);
    expect(r.stderr).toContain('  selected events by kind (evt.name), top 10\n    exec  2  ');
    expect(r.stderr).not.toMatch(/^ {4}(open|dns|chmod)\s/m);
  });

  it('--summary-json: parsed and selected; kinds of the selected events', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'csm-sum-')), 's.json');
    await runMain('csm-filter', ['-k', 'exec', '-c', '--summary-json', path, EXAMPLES]);
    const s = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(s).toMatchObject({ tool: 'csm-filter', read: 10, parsed: 10, selected: 2, kinds: { exec: 2 } });
    expect(s).not.toHaveProperty('valid');
  });

  it('csm-validate keeps valid, and charts every line', async () => {
    const r = await runMain('csm-validate', ['-q', '--summary', EXAMPLES]);
    expect(r.stderr).toMatch(/^ {2}valid\s+10$/m);
    expect(r.stderr).toContain('  event kinds (evt.name), top 10\n');
  });
});

describe('csm-filter --validate: select, then validate', () => {
  it('reports only the invalid lines the other conditions select', async () => {
    const r = await runMain('csm-filter', ['--validate', '-k', 'exec', '-c'], { input: `${BAD_OPEN}\n${BAD_EXEC}\n` });
    expect([r.code, r.out]).toEqual([1, '0\n']);
    expect(r.stderr).toMatch(/^<stdin>:2:1: /);
    expect(r.stderr).not.toMatch(/^<stdin>:1:/m);
  });

  it('an invalid line the selection does not take is not judged: exit 0', async () => {
    const r = await runMain('csm-filter', ['--validate', '-k', 'dns'], { input: `${BAD_OPEN}\n${BAD_EXEC}\n` });
    expect([r.code, r.out, r.stderr]).toEqual([0, '', '']);
  });

  it('with --invert, the selection is what is not matched', async () => {
    const r = await runMain('csm-filter', ['--validate', '-v', '-k', 'exec'], { input: `${BAD_OPEN}\n${BAD_EXEC}\n` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^<stdin>:1:1: /);
    expect(r.stderr).not.toMatch(/^<stdin>:2:/m);
  });
});
