/**
 * Output safety (issue 17, items 5 and 8): an output never overwrites an input
 * or another output, however it is named (stdin, stdout, stderr, /proc/self/fd,
 * another spelling, a dangling symlink); every output is opened before any is
 * truncated; new files are 0600; --summary-json is opened at the start; --jobs
 * is bounded; a stderr nobody reads does not keep SIGTERM from ending the run.
 * Shell redirections are made with real descriptors (spawn's stdio).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binPath, run } from '../../helpers/run.js';
import { EXAMPLE_LINES, VALID, useTempDir, waitFor } from './support.js';

const { tmp, path } = useTempDir('output-safety');

const INPUT = `${EXAMPLE_LINES.slice(0, 3).join('\n')}\n{"not":"an event"}\n`;

interface Spawned {
  code: number | null;
  stderr: string;
}

/** Runs a tool with stdin/stdout/stderr given as descriptors (as `< x`, `>> x`, `2> x` would), or pipes. */
function spawnWith(tool: string, args: string[], fds: { stdin?: number; stdout?: number; stderr?: number }): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath(tool), ...args], {
      stdio: [fds.stdin ?? 'ignore', fds.stdout ?? 'ignore', fds.stderr ?? 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** Opens `file` for the duration of `f` (the parent closes its copy once the child has it). */
async function withFd<T>(file: string, flags: string, f: (fd: number) => Promise<T>): Promise<T> {
  const fd = openSync(file, flags);
  try {
    return await f(fd);
  } finally {
    closeSync(fd);
  }
}

describe('an output is never an input, however it is named', () => {
  it('--invalid-out x < x: refused with exit 2, x untouched', async () => {
    const x = tmp('stdin-in.ndjson', INPUT);
    const r = await withFd(x, 'r', (fd) => spawnWith('csm-validate', ['--invalid-out', x], { stdin: fd }));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`csm-validate: --invalid-out ${x} is the input <stdin>: refusing to overwrite it\n`);
    expect(readFileSync(x, 'utf8')).toBe(INPUT);
  });

  it('--errors /proc/self/fd/0 < x: refused, x untouched', async () => {
    const x = tmp('proc-fd.ndjson', INPUT);
    const r = await withFd(x, 'r', (fd) => spawnWith('csm-validate', ['-q', '--errors', '/proc/self/fd/0'], { stdin: fd }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^csm-validate: --errors \/proc\/self\/fd\/0 is the input <stdin>: refusing to overwrite it\n$/);
    expect(readFileSync(x, 'utf8')).toBe(INPUT);
  });

  it('csm-validate x >> x: refused at once (it would read its own output forever), x untouched', async () => {
    const x = tmp('append.ndjson', INPUT);
    const r = await withFd(x, 'a', (fd) => spawnWith('csm-validate', [x], { stdout: fd }));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`csm-validate: stdout is the input ${x}: refusing to read what this run writes (it would never end)\n`);
    expect(readFileSync(x, 'utf8')).toBe(INPUT);
  });

  it('csm-filter < x >> x and csm-validate x 2>> x are refused too', async () => {
    const x = tmp('append2.ndjson', INPUT);
    const f = await withFd(x, 'r', (i) => withFd(x, 'a', (o) => spawnWith('csm-filter', [], { stdin: i, stdout: o })));
    expect(f.code).toBe(2);
    expect(f.stderr).toBe('csm-filter: stdout is the input <stdin>: refusing to read what this run writes (it would never end)\n');
    const v = await withFd(x, 'a', (e) => spawnWith('csm-validate', ['-q', x], { stderr: e }));
    expect(v.code).toBe(2);
    expect(readFileSync(x, 'utf8')).toBe(`${INPUT}csm-validate: stderr is the input ${x}: refusing to read what this run writes (it would never end)\n`);
  });

  it('stdout and stderr to one file (> log 2>&1) is fine: they share one open file', async () => {
    const x = tmp('shared.ndjson', INPUT);
    const log = path('shared.log');
    const r = await withFd(log, 'w', (fd) => spawnWith('csm-validate', [x], { stdout: fd, stderr: fd }));
    expect(r.code).toBe(1);
    const text = readFileSync(log, 'utf8');
    expect(text).toContain(EXAMPLE_LINES[0]!);
    expect(text).toContain(`${x}:4:1: (root): missing required key 'agent' (required)`);
  });
});

describe('two outputs are never one file', () => {
  it('--invalid-out x > x: refused, nothing truncated', async () => {
    const input = tmp('in-a.ndjson', INPUT);
    const x = tmp('out-a.ndjson', 'keep me\n');
    const r = await withFd(x, 'a', (fd) => spawnWith('csm-validate', ['--invalid-out', x, input], { stdout: fd }));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`csm-validate: --invalid-out ${x} is the file stdout goes to: refusing to let one overwrite the other\n`);
    expect(readFileSync(x, 'utf8')).toBe('keep me\n');
  });

  it('a new file spelled two ways (dir/new and dir/./sub/../new) is one file: refused, nothing created', async () => {
    const input = tmp('in-b.ndjson', INPUT);
    mkdirSync(path('sub'));
    const a = path('new.ndjson');
    const b = `${path('sub')}/../new.ndjson`; // as typed: path.join would tidy it
    const r = await run('csm-validate', ['--invalid-out', a, '--errors', b, input]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`csm-validate: --errors ${b} is also given to --invalid-out\n`);
    expect(existsSync(a)).toBe(false);
  });

  it('a dangling symlink and its target are one file: refused, nothing created', async () => {
    const input = tmp('in-c.ndjson', INPUT);
    const target = path('target.ndjson');
    const link = path('link.ndjson');
    symlinkSync(target, link);
    const r = await run('csm-filter', ['--errors', link, '--summary-json', target, input]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`csm-filter: --summary-json ${target} is also given to --errors\n`);
    expect(existsSync(target)).toBe(false);
  });

  it('an output that cannot be opened is found before any other is truncated (and a file the run created is removed)', async () => {
    const input = tmp('in-d.ndjson', INPUT);
    const errors = tmp('errors-d.txt', 'previous reports\n');
    const created = path('created-d.ndjson');
    const r = await run('csm-validate', ['--errors', errors, '--invalid-out', created, '--summary-json', path('no/such/dir/s.json'), input]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`csm-validate: --summary-json: cannot open ${path('no/such/dir/s.json')}: no such file or directory\n`);
    expect(r.out).toBe('');
    expect(readFileSync(errors, 'utf8')).toBe('previous reports\n');
    expect(existsSync(created)).toBe(false);
  });
});

describe('file modes, --summary-json, --jobs, long names', () => {
  it('new output files are created 0600 (also through a symlink); an existing file keeps its mode', async () => {
    const input = tmp('in-e.ndjson', INPUT);
    const invalid = path('invalid-e.ndjson');
    const target = path('errors-target-e.txt');
    symlinkSync(target, path('errors-link-e.txt'));
    const kept = tmp('summary-e.json', 'old');
    const { chmodSync } = await import('node:fs');
    chmodSync(kept, 0o644);
    const r = await run('csm-validate', ['-q', '--invalid-out', invalid, '--errors', path('errors-link-e.txt'), '--summary-json', kept, input]);
    expect(r.code).toBe(1);
    expect(statSync(invalid).mode & 0o777).toBe(0o600);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(statSync(kept).mode & 0o777).toBe(0o644);
    expect(readFileSync(invalid, 'utf8')).toBe('{"not":"an event"}\n');
    expect(JSON.parse(readFileSync(kept, 'utf8'))).toMatchObject({ read: 4, invalid: 1 });
  });

  it('--summary-json into a missing directory fails at the start: exit 2, nothing read, nothing on stdout', async () => {
    const input = tmp('in-f.ndjson', INPUT);
    const r = await run('csm-filter', ['--summary-json', path('missing/s.json'), input]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.stderr).toBe(`csm-filter: --summary-json: cannot open ${path('missing/s.json')}: no such file or directory\n`);
  });

  it('--jobs is at most 16: 48 is a usage error naming the limit', async () => {
    for (const tool of ['csm-validate', 'csm-filter']) {
      const r = await run(tool, ['--jobs', '48'], { input: `${VALID}\n` });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^${tool}: --jobs 48: at most 16 threads \\(each worker has a heap of its own; this machine has \\d+ cores\\)\\n$`));
    }
    // 16 is taken (on an empty input: no thread is started for nothing).
    const ok = await run('csm-validate', ['-q', '--jobs', '16'], { input: '' });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe('');
  });

  it('a file name too long is named once in its message', async () => {
    const long = path('a'.repeat(300));
    for (const args of [['--invalid-out', long, '-'], [long]]) {
      const r = await run('csm-validate', ['-q', ...args], { input: `${VALID}\n` });
      expect(r.code).toBe(2);
      expect(r.stderr.split(long)).toHaveLength(2);
      expect(r.stderr).toMatch(/file name too long\n$/);
    }
  });
});

describe('SIGTERM while nobody reads stderr', () => {
  it('exits 143 promptly instead of waiting forever for the stderr reader', async () => {
    // Every line is invalid: reports fill the stderr pipe, which is never read.
    const x = tmp('many-bad.ndjson', '{"a":1}\n'.repeat(100_000));
    const child = spawn(process.execPath, [binPath('csm-validate'), x], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.pause();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Reports have arrived (the run is going, its signal handlers are installed), then
    // the buffers fill: the pipe (64 KiB) and our paused stream (up to its high-water mark).
    await waitFor(() => child.stderr.readableLength > 0, 30_000, 'the first reports');
    let seen = -1;
    await waitFor(
      () => {
        const now = child.stderr.readableLength;
        const still = now === seen;
        seen = now;
        return still;
      },
      30_000,
      'stderr to stop flowing',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(child.exitCode, 'blocked on its stderr, not finished').toBeNull();
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await exited;
    clearTimeout(killer);
    child.stderr.destroy();
    expect(code).toBe(143);
  }, 60_000);
});

describe('nothing else changed', () => {
  it('an output that is a new regular file still receives everything', async () => {
    const input = tmp('in-g.ndjson', INPUT);
    const invalid = path('invalid-g.ndjson');
    writeFileSync(invalid, 'x'.repeat(10_000));
    const r = await run('csm-validate', ['-q', '--invalid-out', invalid, input]);
    expect(r.code).toBe(1);
    expect(readFileSync(invalid, 'utf8')).toBe('{"not":"an event"}\n');
  });
});
