/**
 * The library's time window (filterStream's since/until/timeField) and countBy:
 * the same selection and counts as csm-filter, mistakes thrown at the call.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FilterError, JsonNumber, countBy, filterStream } from '../../src/index.js';
import { EXAMPLES } from '../helpers/run.js';

const events = [
  '{"evt":{"name":"open"},"date":"2024-08-01T06:00:00Z","file":{"flags":["O_WRONLY","O_CREAT"]}}',
  '{"evt":{"name":"open"},"date":"2024-08-01T08:30:00.5+02:00","file":{"flags":["O_WRONLY"]}}',
  '{"evt":{"name":"exec"},"date":"2024-08-01t06:59:59.999999999z","process":{"credentials":{"uid":18446744073709551615}}}',
  '{"evt":{"name":"exec"},"date":"2024-08-01T07:00:00Z"}',
  '{"evt":{"name":"exec"}}',
];
const stream = (): Readable => Readable.from([events.join('\n') + '\n']);

async function lineNumbers(options: Parameters<typeof filterStream>[1]): Promise<number[]> {
  const out: number[] = [];
  for await (const e of filterStream(stream(), options)) out.push(e.line);
  return out;
}

describe('filterStream: since / until / timeField', () => {
  it('selects the half-open window [since, until) by instant, any offset, fractions exact', async () => {
    expect(await lineNumbers({ since: '2024-08-01T06:00:00Z', until: '2024-08-01T07:00:00Z' })).toEqual([1, 2, 3]);
  });

  it('takes a Date, a date alone (UTC midnight) and combines with kinds', async () => {
    expect(await lineNumbers({ since: new Date('2024-08-01T06:30:00Z'), kinds: 'exec' })).toEqual([3, 4]);
    expect(await lineNumbers({ until: '2024-08-01' })).toEqual([]);
    expect(await lineNumbers({ since: '2024-08-01', until: '2024-08-02', where: 'evt.name == "open"' })).toEqual([1, 2]);
  });

  it('a relative time is taken from the call: 100000d ago includes every dated event', async () => {
    expect(await lineNumbers({ since: '100000d' })).toEqual([1, 2, 3, 4]);
  });

  it.each<[Parameters<typeof filterStream>[1], RegExp]>([
    [{ since: 'yesterday' }, /since "yesterday": not a time/],
    [{ until: new Date('nope') }, /until "Invalid Date": not a time/],
    [{ since: '2024-08-02', until: '2024-08-01' }, /not before until .*the window is empty/],
    [{ timeField: 'date' }, /timeField goes with since or until/],
    [{ since: '1h', timeField: 'process.pid' }, /not a date-time field/],
  ])('%j throws a FilterError at the call, before reading', (options, message) => {
    expect(() => filterStream('/nonexistent/never-read', options)).toThrow(FilterError);
    expect(() => filterStream('/nonexistent/never-read', options)).toThrow(message);
  });
});

describe('countBy', () => {
  it('counts the selected events by values, lists fanned out, uint64 exact, missing as undefined', async () => {
    const r = await countBy(stream(), ['evt.name', 'file.flags']);
    expect(r.names).toEqual(['evt.name', 'file.flags']);
    expect(r.groups.map((g) => [...g.values, g.count])).toEqual([
      ['exec', undefined, 3],
      ['open', 'O_WRONLY', 2],
      ['open', 'O_CREAT', 1],
    ]);
    expect([r.events, r.incomplete]).toEqual([5, false]);
    const uid = await countBy(stream(), 'process.credentials.uid', { kinds: 'exec', since: '2024-08-01T06:00:00Z' });
    expect(uid.groups.map((g) => g.values[0])).toEqual([undefined, new JsonNumber('18446744073709551615')]);
  });

  it('rare, top and maxGroups as the flags; incomplete when groups were left out', async () => {
    const rare = await countBy(stream(), 'evt.name', { rare: true, top: 1 });
    expect(rare.groups).toEqual([{ values: ['open'], cut: [false], count: 2 }]);
    const capped = await countBy(stream(), 'evt.name', { maxGroups: 1 });
    expect([capped.groups.length, capped.incomplete]).toEqual([1, true]);
  });

  it('gives what csm-filter --count-by gives on the example events', async () => {
    const r = await countBy(EXAMPLES, 'process.credentials.cap_effective');
    expect(r.groups.map((g) => [g.values[0], g.count])).toEqual([['CAP_CHOWN', 7], [[], 3]]);
  });

  it('a bad path or option throws a FilterError at the call', () => {
    expect(() => countBy('/nonexistent', 'process.exe')).toThrow(FilterError);
    expect(() => countBy('/nonexistent', 'evt.name', { top: 0 })).toThrow(/top must be an integer >= 1/);
  });
});
