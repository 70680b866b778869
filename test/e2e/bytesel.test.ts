/**
 * csm-filter's selection on the bytes (README "Selection on the bytes") through
 * bin/: on a mixed stream (events, duplicate and escaped keys, big integers,
 * invalid JSON and UTF-8, blank lines, JSON that is no object), stdout, stderr
 * and the exit status are the same with the byte pass on (default) and off
 * (CSM_BYTESEL=0), for each kind of selection it serves.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, SHARED, run } from '../helpers/run.js';

const corpus = readFileSync(`${SHARED}corpus/events.ndjson`);
const examples = readFileSync(EXAMPLES);
const odd = Buffer.concat([
  Buffer.from(
    [
      '{"evt":{"name":"exec"},"process":{"args":["-c","id"],"credentials":{"uid":18446744073709551615}},"file":{"path":"/etc/shadow","inode":1.50}}',
      '{"evt":{"name":"open"},"evt":{"name":"exec"},"process":{"args":["x"],"credentials":{"uid":0}},"file":{"path":"/etc/passwd"}}',
      '{"\\u0065vt":{"n\\u0061me":"exec"},"process":{"args":["\\u00e9\\ud800"],"credentials":{"uid":-0}},"file":{"path":"\\/etc\\/hosts"}}',
      '{"evt":{"name":"exec"},"process":[1,2],"file":"x"}',
      '{"evt":{"name":"exec"},}',
      '{"evt":{"name":"exec"}',
      '[1,2]',
      'null',
      '',
      '   ',
      'not json',
      '{"evt":{"name":"exec"},"date":"2024-08-01T12:00:00Z","process":{"args":[]}} trailing',
      '{"agent":{"rule_id":"heartbeat"},"date":"2024-08-01T00:00:00Z"}',
      '{"data":[{"attributes":{}}]}',
      '{"evt":{"name":"mount"},"mount":{"mountpoint.path":"/mnt/x","mountpoint":{"path":"/no"}},"process":{"args":["-c"]}}',
      '{"attributes":{"evt":{"name":"exec"}}}',
      `{"evt":{"name":"exec"},"x":${'['.repeat(600)}${']'.repeat(600)}}`,
    ].join('\n') + '\n',
  ),
  Buffer.from('{"evt":{"name":"exec"},"process":{"args":["bad \xff byte"]}}\n', 'latin1'),
  Buffer.from('{"evt":{"name":"exec"},"process":{"args":["caf\u00e9 \u2615"]},"file":{"path":"/etc/ok"}}\n'),
]);
const stream = Buffer.concat([examples, odd, corpus, odd]);

const RUNS: string[][] = [
  ['--kind', 'exec', '--field', 'process.args'],
  ['-w', 'file.path =~ "/etc/**" and process.credentials.uid == 0'],
  ['-w', 'process.credentials.uid == 18446744073709551615', '--field', 'process.credentials.uid,file.inode'],
  ['--kind', 'exec', '--invert'],
  ['--secl', 'exec.file.path =~ "/usr/**" || process.uid == 0'],
  ['--count-by', 'evt.name,process.credentials.uid'],
  ['--since', '2024-08-01T00:00:00Z', '--kind', 'exec', '--field', 'date', '--format', 'tsv'],
  ['--kind', 'exec', '--kind', 'ruleset_loaded', '--jobs', '2'],
];

describe('csm-filter with the byte pass on and off', () => {
  for (const args of RUNS) {
    it(`csm-filter ${args.join(' ')}: the same stdout, stderr and exit status`, async () => {
      const on = await run('csm-filter', ['--no-schema-check', ...args], { input: stream });
      const off = await run('csm-filter', ['--no-schema-check', ...args], { input: stream, env: { CSM_BYTESEL: '0' } });
      expect(on.stdout.equals(off.stdout), `${on.out}\n---\n${off.out}`).toBe(true);
      expect(on.stderr).toBe(off.stderr);
      expect(on.code).toBe(off.code);
      // Not vacuous: every run prints something and reports the bad lines.
      expect(on.stdout.length).toBeGreaterThan(0);
      expect(on.stderr).toMatch(/invalid UTF-8 byte 0xFF/);
      expect(on.code).toBe(1);
    });
  }

  it('with paths resolved against the schema (a dotted key: mount["mountpoint.path"]): the same output', async () => {
    const args = ['-w', 'mount.mountpoint.path == "/mnt/x" or process.args == "-c"', '--field', 'mount.mountpoint.path,process.args'];
    const on = await run('csm-filter', args, { input: stream });
    const off = await run('csm-filter', args, { input: stream, env: { CSM_BYTESEL: '0' } });
    expect(on.out).toBe(off.out);
    expect(on.stderr).toBe(off.stderr);
    expect(on.code).toBe(off.code);
    expect(on.out).toContain('{"mount":{"mountpoint.path":"/mnt/x"},"process":{"args":["-c"]}}');
  });

  it('a selected line printed whole is its bytes, exactly as read', async () => {
    const line = '{"evt":{"name":"exec"} , "n":18446744073709551615.0e0,"s":"\\u00e9"}';
    const r = await run('csm-filter', ['--kind', 'exec'], { input: `${line}\n` });
    expect(r.out).toBe(`${line}\n`);
    expect(r.code).toBe(0);
  });
});
