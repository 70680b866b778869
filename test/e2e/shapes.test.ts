/**
 * Input shapes through the real executables: Datadog log archives (gzip, uint64
 * inodes), API responses in two pages, pretty-printed events, JSON arrays (one of
 * 100k events read under a heap far smaller than the file), shapes that switch,
 * forced shapes, envelope fields and --keep-envelope.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, binPath, lines, run } from '../helpers/run.js';
// The examples' own builders: records and pages as Datadog writes them, events kept byte for byte.
import { apiPage, apiRecord, archiveRecord, pretty } from '../../examples/generate-shapes.mjs';

let dir: string;
/** The example events, as their exact text (line 8 has the inode 18446744073709551615). */
let events: string[];
const at = (name: string): string => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'csm-shapes-'));
  events = readFileSync(EXAMPLES, 'utf8').trim().split('\n');
  writeFileSync(at('events.json.gz'), gzipSync(events.map(archiveRecord).join('\n') + '\n'));
  const recs = events.map(apiRecord);
  writeFileSync(at('api.json'), `${apiPage(recs.slice(0, 6), 'c1')}\n${apiPage(recs.slice(6), '')}\n`);
  writeFileSync(at('pretty.json'), events.map(pretty).join('\n') + '\n');
  writeFileSync(at('array.json'), `[\n${events.map((e) => `  ${e}`).join(',\n')}\n]\n`);
});

const exact = (): string => events.join('\n') + '\n';

describe('each shape gives its events byte for byte, one per line', () => {
  it.each<[string, string]>([
    ['events.json.gz', 'events.json.gz: Datadog log archive (events under "attributes")'],
    ['api.json', 'api.json: Datadog API response (events under "data[].attributes.attributes")'],
    ['pretty.json', 'pretty.json: JSON events one after another (pretty-printed)'],
    ['array.json', 'array.json: JSON array of events'],
  ])('%s: detected, said once on stderr, and every event out exactly as written (uint64 digits kept)', async (file, notice) => {
    const r = await run('csm-validate', [file], { cwd: dir });
    expect(r.stderr).toBe(`csm-validate: ${notice}\n`);
    expect(r.code).toBe(0);
    expect(r.out).toBe(exact());
    expect(r.out).toContain('"inode":18446744073709551615');
  });

  it('csm-validate archive.json.gz | csm-filter works: the events are NDJSON again', async () => {
    const validated = await run('csm-validate', ['events.json.gz'], { cwd: dir });
    const filtered = await run('csm-filter', ['-k', 'chmod,unlink', '-f', 'file.inode'], { input: validated.stdout });
    expect(filtered.stderr).toBe('');
    expect(lines(filtered.out)).toContain('{"file":{"inode":18446744073709551615}}');
  });

  it('csm-filter reads the same shapes, with --jobs 2 as with one thread', async () => {
    for (const file of ['events.json.gz', 'api.json', 'pretty.json']) {
      const one = await run('csm-filter', ['-k', 'open', '--jobs', '1', file], { cwd: dir });
      const two = await run('csm-filter', ['-k', 'open', '--jobs', '2', file], { cwd: dir });
      expect(one.out).not.toBe('');
      expect(two.out).toBe(one.out);
      expect(two.stderr).toBe(one.stderr);
    }
  });
});

describe('reports name the file, the line and column of the event, and its item', () => {
  it('an invalid event of the second API page: its line, the column of its first byte, [item N]', async () => {
    const bad = events.map((e, i) => (i === 7 ? e.replace('"evt":{"name":"chmod"', '"evt":{"name":7') : e));
    expect(bad[7]).not.toBe(events[7]);
    const page2 = `{"data":[${bad.slice(6).map(apiRecord).join(',')}]}`;
    writeFileSync(at('bad-api.json'), `{"data":[${bad.slice(0, 6).map(apiRecord).join(',')}]}\n${page2}\n`);
    const column = page2.indexOf(bad[7]!) + 1;
    const r = await run('csm-validate', ['-q', 'bad-api.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`bad-api.json:2:${column} [item 1]: /evt/name: expected string, found integer (type)`);
    const j = await run('csm-validate', ['-q', '--error-format', 'json', 'bad-api.json'], { cwd: dir });
    expect(JSON.parse(lines(j.stderr)[1]!)).toMatchObject({ file: 'bad-api.json', line: 2, column, item: 1 });
  });

  it('an invalid pretty-printed event is reported at its first line; --invalid-out gets it compacted, byte for byte inside strings', async () => {
    const bad = events.map((e, i) => (i === 2 ? e.replace('"evt":{', '"evt":{"bogus":"a  b\\u00e9",') : e));
    writeFileSync(at('bad-pretty.json'), bad.map(pretty).join('\n') + '\n');
    const firstLine = bad.slice(0, 2).map(pretty).join('\n').split('\n').length + 1;
    const r = await run('csm-validate', ['-q', '--invalid-out', at('bad.out'), 'bad-pretty.json'], { cwd: dir });
    expect(r.stderr).toContain(`bad-pretty.json:${firstLine}:1: /evt: unknown key 'bogus' (not in the schema) (additionalProperties)`);
    expect(readFileSync(at('bad.out'), 'utf8')).toBe(`${bad[2]}\n`);
  });

  it('a broken array stops that input with exit 2, naming where; the events before it were handed on', async () => {
    writeFileSync(at('broken.json'), `[\n${events[0]},\n${events[1]}\n${events[2]}\n]`);
    const r = await run('csm-validate', ['broken.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.out).toBe(`${events[0]}\n${events[1]}\n`);
    expect(r.stderr).toContain("cannot read broken.json:4:1: expected ',' or ']' after item 1 of the array, found '{'; the rest of this input is not read");
  });
});

describe('shapes that switch, and forced shapes', () => {
  it('an archive whose lines switch to bare events: the line is an error (shape), the others go on', async () => {
    const text = [archiveRecord(events[0]!, 0), events[1], archiveRecord(events[2]!, 2)].join('\n') + '\n';
    writeFileSync(at('mixed.json'), text);
    const r = await run('csm-validate', ['mixed.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${events[0]}\n${events[2]}\n`);
    expect(r.stderr).toContain('mixed.json:2:1: not a Datadog log archive record (no "attributes" object): the lines of this archive switch shape (force one with --input) (shape)');
  });

  it('NDJSON that switches to archive records: the record is an error, not ten schema errors', async () => {
    writeFileSync(at('mixed2.ndjson'), `${events[0]}\n${archiveRecord(events[1]!, 1)}\n`);
    const r = await run('csm-filter', ['mixed2.ndjson'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([
      'mixed2.ndjson:2:1: a Datadog log archive record, in an input whose first line is a bare event: its lines switch shape (force one with --input) (shape)',
    ]);
  });

  it('--input forces the shape: no notice, no detection (--input ndjson judges archive records as events)', async () => {
    const r = await run('csm-validate', ['-q', '--input', 'ndjson', 'events.json.gz'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("events.json.gz:1:2: (root): unknown key '_id' (not in the schema) (additionalProperties)");
    const api = await run('csm-validate', ['--input', 'api', 'array.json'], { cwd: dir });
    expect(api.code).toBe(2);
    expect(api.stderr).toBe(
      "csm-validate: cannot read array.json:1:1: expected an API response (a JSON object with a \"data\" list), found '['; the rest of this input is not read\n",
    );
    const forced = await run('csm-validate', ['--input', 'archive', 'events.json.gz'], { cwd: dir });
    expect(forced.stderr).toBe('');
    expect(forced.out).toBe(exact());
  });
});

describe('the envelope: $ fields and --keep-envelope', () => {
  it('--where and --field read $host, $status, $tags, $_id and $date beside the event, on archives and API pages', async () => {
    const r = await run('csm-filter', ['-w', '$status == "warn" or $date >= "2024-08-01T08:09:00+02:00"', '-f', '$_id,$host,evt.name,$tags[1]', '--format', 'tsv', 'events.json.gz'], { cwd: dir });
    expect(r.code).toBe(0);
    const kind = (i: number): string => JSON.parse(events[i]!).evt.name;
    expect(r.out).toBe(`$_id\t$host\tevt.name\t$tags[1]\nAgAAAZBx3\tweb-2\t${kind(3)}\thost:web-2\nAgAAAZBx9\tweb-2\t${kind(9)}\thost:web-2\n`);
    const api = await run('csm-filter', ['-w', '$host == "web-2"', '-f', '$id,file.inode', 'api.json'], { cwd: dir });
    expect(lines(api.out)).toContain('{"$id":"AQAAAZBx7","file":{"inode":18446744073709551615}}');
  });

  it('a $ field on bare events is refused with a reason: forced, a usage error; detected, that input cannot be read', async () => {
    const forced = await run('csm-filter', ['--input', 'ndjson', '-f', '$host', EXAMPLES]);
    expect(forced.code).toBe(2);
    expect(forced.stderr).toBe('csm-filter: a $ field (--where, --field) reads the envelope of archive or API records, but --input ndjson has bare events only\n');
    const detected = await run('csm-filter', ['-w', '$host == "x"', EXAMPLES]);
    expect(detected.code).toBe(2);
    expect(detected.stderr).toContain('reads the envelope of archive or API records, but this input holds bare events (NDJSON, one event per line)');
    const typo = await run('csm-filter', ['-f', '$hots', 'events.json.gz'], { cwd: dir });
    expect(typo.stderr).toContain("unknown field '$hots' — did you mean '$host'?");
  });

  it('--keep-envelope writes the whole record: the archive line, the API record (valid and --invalid-out alike)', async () => {
    const archive = await run('csm-validate', ['--keep-envelope', 'events.json.gz'], { cwd: dir });
    expect(archive.out).toBe(events.map(archiveRecord).join('\n') + '\n');
    const api = await run('csm-filter', ['--keep-envelope', '-k', 'open', 'api.json'], { cwd: dir });
    const opens = events.map(apiRecord).filter((_, i) => JSON.parse(events[i]!).evt.name === 'open');
    expect(api.out).toBe(opens.join('\n') + '\n');
  });
});

describe('memory stays bounded on a huge array', () => {
  it('a JSON array of 100k events is read in a heap far smaller than the file', async () => {
    // 100k events of ~400 bytes: a 40 MB file, which a 16 MB heap could not hold, let alone parse whole.
    const big = at('big.json');
    const parts: string[] = ['['];
    const pad = 'x'.repeat(300);
    for (let i = 0; i < 100_000; i++) parts.push(`${i === 0 ? '' : ','}\n{"evt":{"name":"exec"},"process":{"pid":${i},"comm":"${pad}"},"file":{"inode":18446744073709551615}}`);
    parts.push('\n]\n');
    writeFileSync(big, parts.join(''));
    const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, ['--max-old-space-size=16', binPath('csm-filter'), '-c', '--jobs', '1', big]);
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (code) => resolve({ code, out, err }));
    });
    expect(r.err).toBe(`csm-filter: ${big}: JSON array of events\n`);
    expect(r.code).toBe(0);
    expect(r.out).toBe('100000\n');
  }, 120_000);
});
