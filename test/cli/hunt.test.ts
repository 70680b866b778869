/**
 * Hunting with csm-filter: '&' on integers (uint64 exact), date-time fields
 * compared as instants, and the --since/--until time window.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/inprocess.js';

const lines = (...xs: string[]): string => xs.map((x) => `${x}\n`).join('');

describe("-w with '&': exact on uint64, digit for digit", () => {
  const U64 = '18446744073709551615';
  const events = [
    `{"evt":{"name":"chmod"},"file":{"inode":${U64}}}`,
    `{"evt":{"name":"chmod"},"file":{"inode":18446744073709551614}}`,
    `{"evt":{"name":"chmod"},"file":{"inode":9223372036854775808}}`,
    `{"evt":{"name":"chmod"},"file":{"inode":9223372036854775807}}`,
    `{"evt":{"name":"chmod"},"file":{"inode":-1}}`,
  ];

  it.each<[string, number[]]>([
    [`file.inode & 0xFFFFFFFFFFFFFFFF == ${U64}`, [0]],
    ['file.inode & 1 == 1', [0, 3]],
    ['file.inode & 0x8000000000000000 != 0', [0, 1, 2, 4]], // != is not ==: -1 has no bits, so it is kept
    ['file.inode & 0x8000000000000000 == 0x8000000000000000', [0, 1, 2]],
    [`file.inode & 0o1777777777777777777776 == 18446744073709551614`, [0, 1]],
    ['file.inode & 0b11 == 0b10', [1]],
  ])('%s', async (query, picked) => {
    const r = await runMain('csm-filter', ['-w', query], { input: lines(...events) });
    expect(r.code).toBe(0);
    expect(r.out).toBe(lines(...picked.map((i) => events[i]!)));
  });

  it('setuid: mode & 0o4000 tells 0o104755 from 0o100755 (>= 2048 does not)', async () => {
    const suid = `{"evt":{"name":"chmod"},"file":{"destination":{"mode":${0o104755}}}}`;
    const plain = `{"evt":{"name":"chmod"},"file":{"destination":{"mode":${0o100755}}}}`;
    const r = await runMain('csm-filter', ['-k', 'chmod', '-w', 'file.destination.mode & 0o4000 != 0'], { input: lines(suid, plain) });
    expect([r.code, r.out]).toEqual([0, lines(suid)]);
    const old = await runMain('csm-filter', ['-k', 'chmod', '-w', 'file.destination.mode >= 2048'], { input: lines(suid, plain) });
    expect(old.out).toBe(lines(suid, plain));
  });

  it("'&' on a string field is a type error with a caret; a fractional mask an operand error", async () => {
    const r = await runMain('csm-filter', ['-w', 'process.comm & 4 == 4'], { input: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'process.comm' is a string in the schema, so it is never an integer to '&' with at column 14");
    expect(r.stderr).toContain('  process.comm & 4 == 4\n               ^\n');
    const f = await runMain('csm-filter', ['-w', 'file.mode & 0.5 == 0'], { input: '' });
    expect(f.code).toBe(2);
    expect(f.stderr).toContain("the operand of '&' must be a non-negative integer");
    expect(f.stderr).toContain('  file.mode & 0.5 == 0\n              ^^^\n');
  });
});

describe('date-time fields compare as instants', () => {
  const dates = [
    '2024-08-01T05:59:59.999999999Z', // before the hour
    '2024-08-01T06:00:00.5Z',
    '2024-08-01T08:30:00+02:00',
    '2024-08-01t06:45:00z',
    '2024-08-01T02:59:59.999999999-04:00', // 06:59:59.999999999Z
  ];
  const events = dates.map((d) => `{"evt":{"name":"exec"},"date":"${d}"}`);

  it('the hour 06:00-07:00Z holds four of the five, whatever their offset or case', async () => {
    const r = await runMain('csm-filter', ['-w', 'date >= "2024-08-01T06:00:00Z" and date < "2024-08-01T07:00:00Z"'], {
      input: lines(...events),
    });
    expect(r.code).toBe(0);
    expect(r.out).toBe(lines(...events.slice(1)));
  });

  it('equality is instant equality', async () => {
    const e = '{"date":"2024-08-01T08:00:00+02:00"}';
    const r = await runMain('csm-filter', ['-w', 'date == "2024-08-01T06:00:00Z"'], { input: lines(e, '{"date":"2024-08-01T08:00:00Z"}') });
    expect(r.out).toBe(lines(e));
  });

  it('an event date that is not RFC 3339 is a mismatch: false, and != true', async () => {
    // as text it would be in the hour; as a time it is none (there is no hour 25)
    const bad = '{"date":"2024-08-01T25:00:00Z"}';
    const eq = await runMain('csm-filter', ['-c', '-w', 'date >= "2024-08-01T06:00:00Z"'], { input: lines(bad) });
    expect(eq.out).toBe('0\n');
    const ne = await runMain('csm-filter', ['-c', '-w', 'date != "2024-08-01T06:00:00Z"'], { input: lines(bad) });
    expect(ne.out).toBe('1\n');
  });

  it('a literal that is not RFC 3339 is a usage error with a caret', async () => {
    const r = await runMain('csm-filter', ['-w', 'date >= "2024-08-01 06:00"'], { input: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'date' is a date-time, so \"2024-08-01 06:00\" must be an RFC 3339 date-time");
    expect(r.stderr).toContain('  date >= "2024-08-01 06:00"\n          ^^^^^^^^^^^^^^^^^^\n');
  });

  it('--no-schema-check: strings compare as strings, and the same query finds none of the four', async () => {
    const query = 'date >= "2024-08-01T06:00:00Z" and date < "2024-08-01T07:00:00Z"';
    const withSchema = await runMain('csm-filter', ['-c', '-w', query], { input: lines(...events) });
    expect(withSchema.out).toBe('4\n');
    const r = await runMain('csm-filter', ['--no-schema-check', '-c', '-w', query], { input: lines(...events) });
    // as text none is in the hour: "…T06:00:00.5Z" < "…T06:00:00Z" ('.' < 'Z'), "…t06…" > "…T07…"
    // ('t' > 'T'), and the offsets are not applied
    expect(r.out).toBe('0\n');
  });
});

describe('--since / --until', () => {
  const at = (date: string | null, name = 'exec'): string =>
    date === null ? `{"evt":{"name":"${name}"}}` : `{"evt":{"name":"${name}"},"date":"${date}"}`;

  it('is half-open, since <= t < until, on instants', async () => {
    const input = lines(
      at('2024-08-01T05:59:59.999Z'),
      at('2024-08-01T06:00:00Z'),
      at('2024-08-01T08:59:59+02:00'),
      at('2024-08-01T07:00:00Z'),
      at('2024-08-01T07:00:00.000000001Z'),
    );
    const r = await runMain('csm-filter', ['--since', '2024-08-01T06:00:00Z', '--until', '2024-08-01T07:00:00Z'], { input });
    expect([r.code, r.out]).toEqual([0, lines(at('2024-08-01T06:00:00Z'), at('2024-08-01T08:59:59+02:00'))]);
  });

  it('a date alone is its UTC midnight', async () => {
    const input = lines(at('2024-07-31T23:59:59Z'), at('2024-08-01T00:00:00Z'), at('2024-08-01T23:59:59.9Z'), at('2024-08-02T00:00:00Z'));
    const r = await runMain('csm-filter', ['--since', '2024-08-01', '--until', '2024-08-02'], { input });
    expect(r.out).toBe(lines(at('2024-08-01T00:00:00Z'), at('2024-08-01T23:59:59.9Z')));
  });

  it('a time ago is from now, read once', async () => {
    const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();
    const old = at(ago(3 * 3600_000));
    const recent = at(ago(60 * 60_000));
    const fresh = at(ago(5 * 60_000));
    const r = await runMain('csm-filter', ['--since', '2h'], { input: lines(old, recent, fresh) });
    expect(r.out).toBe(lines(recent, fresh));
    const u = await runMain('csm-filter', ['--since', '7d', '--until', '15m'], { input: lines(old, recent, fresh) });
    expect(u.out).toBe(lines(old, recent));
  });

  it('the stream is filtered in its own order, never sorted', async () => {
    const input = lines(at('2024-08-01T06:30:00Z'), at('2024-08-01T05:00:00Z'), at('2024-08-01T06:10:00Z'));
    const r = await runMain('csm-filter', ['--since', '2024-08-01T06:00:00Z'], { input });
    expect(r.out).toBe(lines(at('2024-08-01T06:30:00Z'), at('2024-08-01T06:10:00Z')));
  });

  it('an event without the field (or with an invalid date) is dropped and counted in the summary', async () => {
    const input = lines(at('2024-08-01T06:30:00Z'), at(null), at('not a date'), '{"date":null}', at('2024-08-01T05:00:00Z'));
    const path = join(mkdtempSync(join(tmpdir(), 'csm-hunt-')), 's.json');
    const r = await runMain('csm-filter', ['--since', '2024-08-01T06:00:00Z', '--summary', '--summary-json', path], { input });
    expect(r.out).toBe(lines(at('2024-08-01T06:30:00Z')));
    expect(r.stderr).toMatch(/^ {2}selected\s+1$/m);
    expect(r.stderr).toMatch(/^ {2}without time\s+3$/m);
    const s = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(s).toMatchObject({ read: 5, parsed: 5, selected: 1, withoutTime: 3 });
  });

  it('the summary has that line and key only with a window', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csm-hunt-'));
    const input = lines(at(null), at('2024-08-01T06:30:00Z'));
    const r = await runMain('csm-filter', ['-c', '--summary', '--summary-json', join(dir, 'a.json'), '--until', '2030-01-01'], { input });
    expect(r.stderr).toMatch(/^ {2}without time\s+1$/m);
    expect(JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'))).toMatchObject({ selected: 1, withoutTime: 1 });
    const none = await runMain('csm-filter', ['-c', '--summary', '--summary-json', join(dir, 'b.json')], { input });
    expect(none.stderr).not.toContain('without time');
    expect(JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8'))).not.toHaveProperty('withoutTime');
  });

  it('--time-field tests another date-time field; it must be one', async () => {
    const e = '{"date":"2020-01-01T00:00:00Z","file":{"modification_time":"2024-08-01T06:30:00Z"}}';
    const r = await runMain('csm-filter', ['--since', '2024-08-01', '--time-field', 'file.modification_time'], { input: lines(e) });
    expect(r.out).toBe(lines(e));
    const bad = await runMain('csm-filter', ['--since', '2024-08-01', '--time-field', 'file.mode'], { input: '' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("csm-filter: --time-field file.mode: 'file.mode' is not a date-time field of the schema");
    const unknown = await runMain('csm-filter', ['--since', '2024-08-01', '--time-field', 'dat'], { input: '' });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--time-field');
  });

  it('--invert does not invert the window', async () => {
    const input = lines(at('2024-08-01T06:30:00Z', 'exec'), at('2024-08-01T06:30:00Z', 'open'), at('2024-08-01T05:00:00Z', 'open'));
    const r = await runMain('csm-filter', ['--since', '2024-08-01T06:00:00Z', '-v', '-k', 'exec'], { input });
    expect(r.out).toBe(lines(at('2024-08-01T06:30:00Z', 'open')));
  });

  it.each<[string[], string]>([
    [['--since', 'yesterday'], '--since "yesterday": not a time; expected an RFC 3339 date-time'],
    [['--until', '2024-08-01 06:00:00Z'], '--until "2024-08-01 06:00:00Z": not a time'],
    [['--since', '2024-02-30'], '--since "2024-02-30": not a time'],
    [['--since', '15x'], '--since "15x": not a time'],
    [['--since', '2024-08-02', '--until', '2024-08-01'], '--since 2024-08-02T00:00:00Z is not before --until 2024-08-01T00:00:00Z'],
    [['--time-field', 'date'], '--time-field goes with --since or --until'],
  ])('%j: exit 2 with a clear message', async (args, message) => {
    const r = await runMain('csm-filter', args, { input: lines(at('2024-08-01T06:30:00Z')) });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.stderr).toContain(`csm-filter: ${message}`);
  });
});
