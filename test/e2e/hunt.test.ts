/**
 * csm-filter --since/--until as a real process, with --jobs worker threads:
 * the time window is plain data in the workers' spec, and the events it left
 * out for want of a date-time come back in the verdicts to the summary.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/run.js';

describe('csm-filter --since/--until through bin/', () => {
  it('selects the window in worker threads, in input order, and counts the events without a time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csm-hunt-e2e-'));
    const input = join(dir, 'in.ndjson');
    const summary = join(dir, 's.json');
    const out: string[] = [];
    const want: string[] = [];
    let untimed = 0;
    for (let i = 0; i < 6000; i++) {
      // minutes 0-119 after 05:00Z, written with a +02:00 offset half of the time; every 7th has no date
      const minute = (i * 37) % 120;
      const utc = new Date(Date.UTC(2024, 7, 1, 5, minute, 0, i % 1000));
      const iso = utc.toISOString();
      let date: string | undefined =
        i % 2 === 0 ? iso : `${iso.slice(0, 11)}${String(utc.getUTCHours() + 2).padStart(2, '0')}${iso.slice(13, -1)}+02:00`;
      if (i % 7 === 0) date = undefined;
      const line = JSON.stringify({ evt: { name: 'exec' }, n: i, ...(date !== undefined ? { date } : {}) });
      out.push(line);
      if (date === undefined) untimed++;
      else if (utc.getUTCHours() === 6) want.push(line);
    }
    writeFileSync(input, out.join('\n') + '\n');
    const r = await run('csm-filter', [
      '--jobs',
      '2',
      '--since',
      '2024-08-01T06:00:00Z',
      '--until',
      '2024-08-01',
      '--summary-json',
      summary,
      input,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not before --until');
    const ok = await run('csm-filter', ['--jobs', '2', '--since', '2024-08-01T06:00:00Z', '--until', '2024-08-01T07:00:00Z', '--summary-json', summary, input]);
    expect(ok.code).toBe(0);
    expect(ok.out).toBe(want.map((l) => `${l}\n`).join(''));
    const s = JSON.parse(readFileSync(summary, 'utf8')) as Record<string, unknown>;
    expect(s).toMatchObject({ read: 6000, selected: want.length, withoutTime: untimed });
    expect(untimed).toBeGreaterThan(0);
  });
});
