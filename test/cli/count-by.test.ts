/**
 * csm-filter --count-by, --top, --rare, --max-groups through main: formats,
 * the selection flags it combines with, and its usage errors.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runMain } from '../helpers/inprocess.js';
import { EXAMPLES } from '../helpers/run.js';

const events = [
  '{"evt":{"name":"open"},"date":"2024-08-01T06:00:00Z","file":{"path":"/etc/passwd","flags":["O_RDONLY"]},"process":{"credentials":{"uid":0}}}',
  '{"evt":{"name":"open"},"date":"2024-08-01T06:30:00+02:00","file":{"path":"/etc/shadow","flags":["O_WRONLY","O_CREAT"]},"process":{"credentials":{"uid":1000}}}',
  '{"evt":{"name":"open"},"date":"2024-08-01T07:10:00Z","file":{"path":"/tmp/x","flags":["O_WRONLY","O_TRUNC"]},"process":{"credentials":{"uid":0}}}',
  '{"evt":{"name":"exec"},"date":"2024-08-01T06:10:00Z","process":{"executable":{"path":"/bin/sh"},"credentials":{"uid":0}}}',
  '{"evt":{"name":"exec"},"date":"2024-08-01T06:20:00Z","process":{"executable":{"path":"/tmp/\\u001b[31mevil\\u202e"},"credentials":{"uid":18446744073709551615}}}',
  '{"evt":{"name":"chmod"},"date":"2024-08-01T06:40:00Z","file":{"path":"/tmp/x","destination":{"mode":35309}},"process":{"credentials":{"uid":"0"}}}',
];
const input = events.map((e) => `${e}\n`).join('');
const countBy = (...args: string[]) => runMain('csm-filter', args, { input });

describe('csm-filter --count-by: output', () => {
  it('text (default): a header, counts aligned, most frequent first; uint64 exact; 1 and "1" apart', async () => {
    const r = await countBy('--count-by', 'process.credentials.uid');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.out).toBe(['COUNT  process.credentials.uid', '    3  0', '    1  1000', '    1  18446744073709551615', '    1  "0"', ''].join('\n'));
  });

  it('text escapes what a terminal would act on (ESC, bidi override) and shows a missing field as (missing)', async () => {
    const r = await countBy('--count-by', 'process.executable.path');
    expect(r.out).toBe(['COUNT  process.executable.path', '    4  (missing)', '    1  /bin/sh', '    1  "/tmp/\\u001b[31mevil\\u202e"', ''].join('\n'));
  });

  it('tsv: count first, then one column per path; lists fan out, a missing field is an empty cell', async () => {
    const r = await countBy('--count-by', 'evt.name,file.flags', '--format', 'tsv');
    expect(r.out).toBe(
      ['count\tevt.name\tfile.flags', '2\texec\t', '2\topen\tO_WRONLY', '1\tchmod\t', '1\topen\tO_CREAT', '1\topen\tO_RDONLY', '1\topen\tO_TRUNC', ''].join('\n'),
    );
  });

  it('csv per RFC 4180 (CRLF), --no-header drops the header', async () => {
    const r = await countBy('--count-by', 'file.path', '--format', 'csv', '--no-header');
    expect(r.out).toBe('2,\r\n2,/tmp/x\r\n1,/etc/passwd\r\n1,/etc/shadow\r\n');
  });

  it('ndjson: {"key":{path: value},"count":n}, a missing field left out of key, numbers digit for digit', async () => {
    const r = await countBy('--count-by', 'evt.name', '--count-by', 'process.credentials.uid', '--format', 'ndjson');
    expect(r.out).toBe(
      [
        '{"key":{"evt.name":"open","process.credentials.uid":0},"count":2}',
        '{"key":{"evt.name":"chmod","process.credentials.uid":"0"},"count":1}',
        '{"key":{"evt.name":"exec","process.credentials.uid":0},"count":1}',
        '{"key":{"evt.name":"exec","process.credentials.uid":18446744073709551615},"count":1}',
        '{"key":{"evt.name":"open","process.credentials.uid":1000},"count":1}',
        '',
      ].join('\n'),
    );
  });

  it('--rare: least frequent first; with --top, the N rarest', async () => {
    const r = await countBy('--count-by', 'evt.name', '--rare', '--top', '2');
    expect(r.out).toBe('COUNT  evt.name\n    1  chmod\n    2  exec\n');
  });

  it('--top N: the N most frequent', async () => {
    const r = await countBy('--count-by', 'evt.name', '--top', '1', '--format', 'tsv', '--no-header');
    expect(r.out).toBe('3\topen\n');
  });

  it('nothing selected: the header alone (tsv), nothing in ndjson; exit 0', async () => {
    const tsv = await countBy('--count-by', 'evt.name', '-k', 'dns', '--format', 'tsv');
    expect([tsv.code, tsv.out]).toEqual([0, 'count\tevt.name\n']);
    const nd = await countBy('--count-by', 'evt.name', '-k', 'dns', '--format', 'ndjson');
    expect([nd.code, nd.out]).toEqual([0, '']);
  });
});

describe('csm-filter --count-by: combined with the selection', () => {
  it.each<[string, string[], string]>([
    ['--kind', ['-k', 'open'], '3\topen\n'],
    ['--where on a list (file.flags == "O_WRONLY": any element)', ['-w', 'file.flags == "O_WRONLY"'], '2\topen\n'],
    ['--invert', ['-k', 'open', '-v'], '2\texec\n1\tchmod\n'],
    ['--since/--until (instants, any offset)', ['--since', '2024-08-01T06:00:00Z', '--until', '2024-08-01T07:00:00Z'], '2\texec\n1\tchmod\n1\topen\n'],
    ['--limit (the first N selected events)', ['-n', '2'], '2\topen\n'],
    ['& on a mode (setuid)', ['-w', 'file.destination.mode & 0o4000 != 0', '-k', 'chmod'], '1\tchmod\n'],
  ])('%s', async (_name, flags, out) => {
    const r = await countBy('--count-by', 'evt.name', '--format', 'tsv', '--no-header', ...flags);
    expect([r.code, r.out, r.stderr]).toEqual([0, out, '']);
  });

  it('--validate: an invalid event is reported and not counted (exit 1), the valid ones are', async () => {
    const valid = readFileSync(EXAMPLES, 'utf8');
    const r = await runMain('csm-filter', ['--validate', '--count-by', 'evt.name', '--format', 'tsv', '--no-header'], { input: valid + events[0] + '\n' });
    expect(r.code).toBe(1);
    expect(r.out).toBe('2\texec\n2\topen\n1\tchmod\n1\tdns\n1\texit\n1\tload_module\n1\tmount\n1\tunlink\n');
    expect(r.stderr).toMatch(/^<stdin>:11:1: \(root\): missing required key/);
  });

  it('the summary counts selected events (each once, whatever its groups)', async () => {
    const r = await countBy('--count-by', 'file.flags', '--summary', '--format', 'tsv', '--no-header');
    expect(r.out).toBe('3\t\n2\tO_WRONLY\n1\tO_CREAT\n1\tO_RDONLY\n1\tO_TRUNC\n');
    expect(r.stderr).toMatch(/selected\s+6\n/);
  });
});

describe('csm-filter --max-groups: an incomplete result says so', () => {
  it('beyond the cap: the groups kept, exact, and one line on stderr; exit 0', async () => {
    const r = await countBy('--count-by', 'evt.name', '--max-groups', '2', '--format', 'tsv', '--no-header');
    expect(r.code).toBe(0);
    expect(r.out).toBe('3\topen\n2\texec\n');
    expect(r.stderr).toBe(
      'csm-filter: --count-by: the result is incomplete: more than 2 distinct groups: 1 value(s) of further groups were not counted (raise --max-groups)\n',
    );
  });
});

describe('csm-filter --count-by: usage errors (exit 2, one message)', () => {
  it('an unknown path: a caret under it and a suggestion', async () => {
    const r = await countBy('--count-by', 'evt.name,process.executable.pth');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.stderr).toBe(
      "csm-filter: --count-by: unknown field 'process.executable.pth' — did you mean 'process.executable.path'? at column 20\n" +
        '  process.executable.pth\n                     ^^^\n',
    );
  });

  it.each<[string[], RegExp]>([
    [['--count-by', 'evt.name', '--top', '0'], /--top <N>' argument '0' is invalid\. expected a whole number >= 1/],
    [['--count-by', 'evt.name', '--max-groups', '0'], /--max-groups <N>' argument '0' is invalid/],
    [['--top', '3'], /^csm-filter: --top goes with --count-by\n$/],
    [['--rare'], /^csm-filter: --rare goes with --count-by\n$/],
    [['--max-groups', '9'], /^csm-filter: --max-groups goes with --count-by\n$/],
    [['--count-by', 'evt.name', '-c'], /--count and --count-by cannot be used together/],
    [['--count-by', 'evt.name', '-f', 'file.path'], /--field and --count-by cannot be used together/],
    [['--count-by', 'evt.name', '--format', 'raw'], /--format raw goes with --field; --count-by prints text, tsv, csv or ndjson/],
    [['-f', 'evt.name', '--format', 'text'], /--format text goes with --count-by/],
    [['--count-by', 'evt.name,evt["name"]'], /--count-by evt\["name"\]: 'evt.name' is given twice/],
    [['--count-by', ''], /--count-by: at least one path/],
  ])('%j', async (args, message) => {
    const r = await countBy(...args);
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.stderr).toMatch(message);
  });
});
