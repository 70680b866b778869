/**
 * The README's "Cheat sheet: counting, bits and lists": each hunt, as written
 * there, on events where it has something to find; and its jq twin, run on the
 * same events, gives the same answer.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLine } from '../helpers/inprocess.js';
import { ROOT } from '../helpers/run.js';

const ev = (o: object): string => JSON.stringify(o);
const exec = (path: string, parent: string, container: string, caps: string[]) =>
  ev({ evt: { name: 'exec' }, process: { executable: { path }, parent: { executable: { path: parent } }, container: { id: container }, credentials: { cap_effective: caps } } });
const chmod = (mode: number) => ev({ evt: { name: 'chmod' }, file: { path: '/tmp/f', destination: { mode } } });
const open = (path: string, flags?: string[]) => ev({ evt: { name: 'open' }, file: flags === undefined ? { path } : { path, flags } });

const EVENTS = [
  exec('/bin/sh', '/usr/sbin/nginx', 'c1', ['CAP_SYS_ADMIN', 'CAP_CHOWN']),
  exec('/bin/ls', '/bin/bash', 'c1', []),
  exec('/bin/sh', '/usr/sbin/nginx', 'c1', ['CAP_CHOWN']),
  exec('/usr/bin/curl', '/bin/sh', 'c2', ['CAP_CHOWN', 'CAP_CHOWN']),
  exec('/bin/ls', '/bin/bash', 'c2', []),
  exec('/bin/sh', '/usr/sbin/nginx', 'c1', []),
  chmod(0o104755), // setuid
  chmod(0o100755), // >= 2048, no setuid
  chmod(0o2755), // setgid only
  chmod(0o4000),
  open('/etc/passwd', ['O_RDONLY']),
  open('/etc/shadow', ['O_WRONLY', 'O_CREAT']),
  open('/etc/shadow', ['O_RDWR']),
  open('/tmp/a', ['O_WRONLY', 'O_TRUNC', 'O_CREAT']),
  open('/tmp/b', []),
  open('/tmp/c'),
];
const input = EVENTS.map((e) => `${e}\n`).join('');

/** The hunts of the cheat sheet: each csm-filter line with the jq line under it, if any. */
function hunts(): { title: string; command: string; jq?: string }[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('#### Cheat sheet: counting, bits and lists');
  const section = readme.slice(start, readme.indexOf('\n#', start + 10));
  const out: { title: string; command: string; jq?: string }[] = [];
  let title = '';
  for (const line of section.split('\n')) {
    const t = /^ {4}# (\d+\..*)$/.exec(line);
    if (t) title = t[1]!;
    if (line.startsWith('    csm-filter ')) out.push({ title, command: line.trim() });
    const jq = /^ {4}# {5}(jq .*)$/.exec(line);
    if (jq) out.at(-1)!.jq = jq[1]!;
  }
  return out;
}

const hasJq = existsSync('/usr/bin/jq');
function jq(command: string): string {
  const r = spawnSync('bash', ['-c', command], { input, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout;
}

const found = hunts();
const hunt = (n: number) => found.find((h) => h.title.startsWith(`${n}.`))!;

describe('the cheat sheet of counting, bits and lists', () => {
  it('has its six hunts, four with a jq twin', () => {
    expect(found.map((h) => h.title.split('.')[0])).toEqual(['13', '14', '15', '16', '17', '18']);
    expect(found.filter((h) => h.jq !== undefined).length).toBe(4);
  });

  it('13: the most common executables, as jq counts them', async () => {
    const r = await runLine(`${hunt(13).command} --format tsv --no-header`, { input });
    expect(r.out).toBe('3\t/bin/sh\n2\t/bin/ls\n1\t/usr/bin/curl\n');
    if (hasJq) expect(jq(hunt(13).jq!)).toBe(r.out);
  });

  it('14: the rarest parent -> child pairs per container', async () => {
    const r = await runLine(hunt(14).command, { input });
    expect(r.out).toBe(
      [
        'COUNT  process.container.id  process.parent.executable.path  process.executable.path',
        '    1  c1                    /bin/bash                       /bin/ls',
        '    1  c2                    /bin/bash                       /bin/ls',
        '    1  c2                    /bin/sh                         /usr/bin/curl',
        '    3  c1                    /usr/sbin/nginx                 /bin/sh',
        '',
      ].join('\n'),
    );
  });

  it('15: setuid by & (0o100755 is >= 2048 but not setuid; setgid alone is not setuid), as jq finds it', async () => {
    const r = await runLine(hunt(15).command, { input });
    expect(r.out).toBe(`${chmod(0o104755)}\n${chmod(0o4000)}\n`);
    if (hasJq) expect(jq(hunt(15).jq!)).toBe(r.out);
  });

  it('16: files opened for writing, by the names in file.flags, as jq counts them', async () => {
    const r = await runLine(`${hunt(16).command} --format tsv --no-header`, { input });
    expect(r.out).toBe('2\t/etc/shadow\n1\t/tmp/a\n');
    if (hasJq) expect(jq(hunt(16).jq!)).toBe(r.out);
  });

  it('17: CAP_SYS_ADMIN in the effective set, as jq finds it', async () => {
    const r = await runLine(`${hunt(17).command} --no-header`, { input });
    expect(r.out).toBe('exec\t/bin/sh\n');
    if (hasJq) expect(jq(hunt(17).jq!)).toBe(r.out);
  });

  it('18: the effective capabilities, once per event, [] for an empty set, missing for events without one', async () => {
    const r = await runLine(`${hunt(18).command} --format tsv`, { input });
    expect(r.out).toBe('count\tprocess.credentials.cap_effective\n10\t\n3\tCAP_CHOWN\n3\t[]\n1\tCAP_SYS_ADMIN\n');
  });
});
