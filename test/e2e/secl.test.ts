/**
 * SECL through the executables (bin/, built into dist/) and the library: csm-filter --secl
 * with --jobs (its worker threads compile the same expression), csm-schema secl, and
 * filterStream({ secl }).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { filterStream } from '../../src/index.js';
import { runMain } from '../helpers/inprocess.js';
import { lines, run } from '../helpers/run.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'csm-secl-'));
});

const NAMES = ['curl', 'bash', 'sh', 'nginx', 'python3', 'ls'];
const PATHS = ['/etc/passwd', '/etc/ssh/sshd_config', '/tmp/x.sh', '/var/run/docker.sock', '/dev/shm/a/b'];

const execEvent = fc.record({
  name: fc.constantFrom(...NAMES),
  args: fc.array(fc.constantFrom('-s', '--unix-socket', '/var/run/docker.sock', 'http://x/', '-la', '-e'), { maxLength: 4 }),
  ancestors: fc.array(fc.constantFrom(...NAMES), { maxLength: 3 }),
  uid: fc.constantFrom(0, 1000),
  container: fc.constantFrom('', 'c0ffee'),
  key: fc.option(fc.constantFrom('cgroup_1', 'service_2'), { nil: undefined }),
}).map((e) => ({
  evt: { name: 'exec' },
  date: '2024-08-01T06:00:10Z',
  file: { path: `/usr/bin/${e.name}`, name: e.name },
  ...(e.container !== '' ? { container: { id: e.container } } : {}),
  process: {
    pid: 5,
    uid: e.uid,
    executable: { path: `/usr/bin/${e.name}`, name: e.name },
    args: e.args,
    ancestors: e.ancestors.map((a) => ({ executable: { name: a, path: `/usr/bin/${a}` } })),
    ...(e.container !== '' ? { container: { id: e.container } } : {}),
    ...(e.key !== undefined ? { variables: { correlation_key: e.key } } : {}),
  },
}));

const fileEvent = fc.record({
  kind: fc.constantFrom('open', 'chmod', 'unlink'),
  path: fc.constantFrom(...PATHS),
  flags: fc.subarray(['O_CREAT', 'O_WRONLY', 'O_RDWR', 'O_TRUNC']),
  mode: fc.constantFrom(0o644, 0o4755),
  proc: fc.constantFrom(...NAMES),
}).map((e) => ({
  evt: { name: e.kind },
  date: '2024-08-01T06:00:10Z',
  file: { path: e.path, name: e.path.slice(e.path.lastIndexOf('/') + 1), flags: e.flags, destination: { mode: e.mode } },
  process: { pid: 6, uid: 0, executable: { path: `/usr/bin/${e.proc}`, name: e.proc } },
}));

const EXPRESSIONS = [
  'exec.file.name == "curl" && exec.args_flags in ["unix-socket"] && exec.args in [~"*docker.sock*"] && process.container.id != ""',
  'process.ancestors.file.name != "nginx" || process.uid == 0 && open.file.path == ~"/etc/**"',
  'open.flags & (O_CREAT | O_TRUNC) > 0 && open.file.path in [~"/etc/*", "/tmp/x.sh"]',
  'chmod.file.destination.mode & S_ISUID > 0',
  '${process.correlation_key} in ["", ~"cgroup_*"] && exec.file.name != "ls"',
  'process.file.name in ["bash", "sh"] && process.ancestors.file.name == "nginx"',
];

describe('csm-filter --secl with --jobs', () => {
  it('--jobs 2 (worker threads, through bin/) selects exactly what --jobs 1 selects', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(execEvent, fileEvent), { minLength: 1, maxLength: 60 }), fc.constantFrom(...EXPRESSIONS), async (events, expr) => {
        const file = join(dir, 'events.ndjson');
        writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
        const one = await runMain('csm-filter', ['--jobs', '1', '--secl', expr, file]);
        const two = await run('csm-filter', ['--jobs', '2', '--secl', expr, file]);
        expect(two.code).toBe(0);
        expect([two.code, two.out, two.stderr]).toEqual([one.code, one.out, one.stderr]);
      }),
      { numRuns: 6 },
    );
  });
});

describe('csm-filter --secl through bin/', () => {
  const event = JSON.stringify({
    evt: { name: 'exec' },
    date: '2024-08-01T06:00:10Z',
    file: { path: '/usr/bin/curl', name: 'curl' },
    container: { id: 'c0ffee' },
    process: { pid: 5, executable: { path: '/usr/bin/curl', name: 'curl' }, args: ['--unix-socket', '/var/run/docker.sock', 'http://x/containers/json'], container: { id: 'c0ffee' } },
  });

  it("selects with a rule of the default policy (curl_mgmt_socket), line for line", async () => {
    const rule = 'exec.file.name == "curl" && exec.args_flags in ["unix-socket"] && exec.args in [~"*docker.sock*",  ~"*dockershim.sock*"] && process.container.id != ""';
    const r = await run('csm-filter', ['--secl', rule], { input: `${event}\n{"evt":{"name":"exec"}}\n` });
    expect([r.code, r.out, r.stderr]).toEqual([0, `${event}\n`, '']);
  });

  it('exits 2 with the caret under an unknown field, and nothing on stdout', async () => {
    const r = await run('csm-filter', ['--secl', 'exec.file.nam == "curl"'], { input: `${event}\n` });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.stderr).toBe("csm-filter: --secl: unknown field, constant or macro 'exec.file.nam' — did you mean 'exec.file.name'? at column 1\n  exec.file.nam == \"curl\"\n  ^^^^^^^^^^^^^\n");
  });

  it('exits 2 naming a field the backend event does not carry, and why', async () => {
    const r = await run('csm-filter', ['--secl', 'exec.file.name == "curl" && "x" in container.tags'], { input: `${event}\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^csm-filter: --secl: 'container.tags' cannot be evaluated on backend events: not written to the backend event at column 36\n/);
  });
});

describe('csm-schema secl through bin/', () => {
  it('lists fields under a prefix with type, event, kind and JSON path (text)', async () => {
    const r = await run('csm-schema', ['secl', 'open.f']);
    expect(r.code).toBe(0);
    const rows = lines(r.out);
    expect(rows[0]).toMatch(/^FIELD\s+TYPE\s+EVENT\s+KIND\s+JSON$/);
    expect(rows).toContainEqual(expect.stringMatching(/^open\.file\.path\s+string\s+open\s+direct\s+file\.path$/));
    expect(rows).toContainEqual(expect.stringMatching(/^open\.flags\s+int\s+open\s+derived\s+file\.flags \(flags \(Open flags\)\)$/));
    expect(rows.every((l, i) => i === 0 || l.startsWith('open.f'))).toBe(true);
  });

  it('gives one JSON record per field with --format json, the reason for an unavailable one', async () => {
    const r = await run('csm-schema', ['secl', 'packet.filter', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(lines(r.out).map((l) => JSON.parse(l))).toEqual([
      { field: 'packet.filter', type: 'string', event: 'packet', kind: 'unavailable', reason: 'not written to the backend event' },
    ]);
  });

  it('iterator fields show the [*] of their JSON path', async () => {
    const r = await run('csm-schema', ['secl', 'process.ancestors.file.name', '--format', 'tsv', '--no-header']);
    expect(lines(r.out)[0]).toBe('process.ancestors.file.name\tstring[]\t*\tdirect\tprocess.ancestors[*].executable.name');
  });

  it('exits 2 for a prefix no field has, with "did you mean"', async () => {
    const r = await run('csm-schema', ['secl', 'opne.']);
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.stderr).toBe("csm-schema: no SECL field starts with 'opne.' — did you mean 'open.'?\n");
  });
});

describe('filterStream({ secl })', () => {
  it('selects with SECL expressions, ANDed with kinds', async () => {
    const file = join(dir, 'lib.ndjson');
    const evs = [
      { evt: { name: 'open' }, file: { path: '/etc/shadow', name: 'shadow' }, process: { executable: { name: 'cat' } } },
      { evt: { name: 'exec' }, file: { path: '/etc/shadow', name: 'shadow' }, process: { executable: { name: 'cat' } } },
    ];
    writeFileSync(file, evs.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const got: number[] = [];
    for await (const e of filterStream(file, { secl: ['open.file.path == ~"/etc/*"', 'process.file.name == "cat"'] })) got.push(e.line);
    expect(got).toEqual([1]);
  });

  it('hands the notes of the run to onNote, once each, before reading', () => {
    const notes: string[] = [];
    filterStream('/nonexistent', { secl: ['${process.key} == "a"', '${process.key} != "b"'], onNote: (n) => notes.push(n) });
    expect(notes).toEqual(["${process.key} is read from each event's process.variables.key; where an event has none, the rule is evaluated with it unset, as the agent would"]);
  });

  it('throws a FilterError with the errors and their spans, before reading', () => {
    expect(() => filterStream('/nonexistent', { secl: 'open.file.pth == "/"' })).toThrow(/secl: unknown field, constant or macro 'open.file.pth' — did you mean 'open.file.path'\? at column 1/);
    try {
      filterStream('/nonexistent', { secl: 'open.file.pth == "/"' });
    } catch (err) {
      expect(err).toMatchObject({ name: 'FilterError', option: 'secl', errors: [{ code: 'unknown-field', span: { start: 0, end: 13 } }] });
    }
  });
});
