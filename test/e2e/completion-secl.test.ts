/**
 * Completing SECL field names inside a `--secl` expression, in real shells with the script
 * csm-filter prints (as test/e2e/completion-query.test.ts does for `--where` paths): the SECL
 * names, not the JSON paths; one step at a time; only where a field can start.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { seclCompletionNames } from '../../src/cli/completion.js';
import { SECL_FIELDS_LINUX } from '../../src/secl/index.js';
import { runMain } from '../helpers/inprocess.js';
import { ROOT } from '../helpers/run.js';
import { zshTyped } from '../helpers/zpty.js';

const has = (shell: string): boolean => spawnSync(shell, ['-c', 'true']).status === 0;
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
let dir: string;
const script = (shell: string): string => join(dir, `csm-filter.${shell}`);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'csm-completion-secl-'));
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = await runMain('csm-filter', ['completion', shell]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    writeFileSync(script(shell), r.out);
  }
});

const sh = (shell: string, args: string[]) => spawnSync(shell, args, { encoding: 'utf8', cwd: ROOT, timeout: 60_000 });

function bash(words: string[], compType?: number): string[] {
  const r = sh('bash', [
    '--norc',
    '-c',
    `source ${q(script('bash'))}; COMP_WORDS=(csm-filter ${words.map(q).join(' ')}); COMP_CWORD=${words.length}; ` +
      `${compType === undefined ? '' : `COMP_TYPE=${compType}; `}_csm_filter; printf '%s\\n' "\${COMPREPLY[@]}"`,
  ]);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter((l) => l !== '');
}

function fish(line: string): string[] {
  const r = sh('fish', ['--no-config', '-c', `source ${q(script('fish'))}; complete -C ${q(line)}`]);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t')[0]!);
}

describe('the SECL names offered', () => {
  it('are the field table\'s, without the .length of a string field (typed after the field itself)', () => {
    const names = seclCompletionNames();
    expect(names).toContain('open.file.path');
    expect(names).toContain('process.ancestors.file.name');
    expect(names).not.toContain('open.file.path.length');
    expect(names.length).toBeGreaterThan(1000);
    expect(names.every((n) => Object.hasOwn(SECL_FIELDS_LINUX, n))).toBe(true);
  });
});

describe('bash', () => {
  it('completes the SECL field under the cursor in a quoted --secl expression, keeping what precedes it', () => {
    expect(bash(['--secl', "'exec.file.path == \"/a\" && process.ancestors.fi"])).toEqual(['exec.file.path == "/a" && process.ancestors.file.']);
    // a lone match gets a twin with a space, so that readline keeps the quote open (as for --where)
    expect(bash(['--secl', "'open.fl"], 9)).toEqual(['open.flags', 'open.flags ']);
    expect(bash(['--secl', "'process.file.na"])).toEqual(['process.file.name']);
  });

  it('offers SECL names, not JSON paths, and JSON paths (not SECL names) for --where', () => {
    expect(bash(['--secl', "'process.executable.na"])).toEqual([]);
    expect(bash(['-w', "'process.file.na"])).toEqual([]);
    expect(bash(['-w', "'process.executable.na"])).toEqual(['process.executable.name']);
  });

  it('only where a field can start: not in a string, not after a field', () => {
    expect(bash(['--secl', "'exec.file.path == \"open.fl"])).toEqual([]);
    expect(bash(['--secl', "'exec.file.path open.fl"])).toEqual([]);
    expect(bash(['--secl', "'!open.fl"])).toEqual(['!open.flags']);
  });
});

describe('fish', () => {
  it.skipIf(!has('fish'))('complete -C: the SECL field under the cursor', () => {
    expect(fish("csm-filter --secl 'process.file.na")).toEqual(['process.file.name']);
    const dns = fish("csm-filter --secl 'exec.file.name == \"x\" || dns.qu");
    expect(dns[0]).toBe('exec.file.name == "x" || dns.question.');
    expect(dns).toContain('exec.file.name == "x" || dns.question.name');
    expect(fish("csm-filter --secl 'x == \"dns.qu")).toEqual([]);
  });
});

describe('zsh', () => {
  it.skipIf(!has('zsh'))('Tab in a real zsh: the SECL field under the cursor, one step at a time', () => {
    const cases = [
      ["csm-filter --secl 'open.file.pat", '\\t'],
      ["csm-filter --secl 'process.uid == 0 && process.ancestors.fi", '\\t'],
    ] as const;
    const r = zshTyped(dir, script('zsh'), cases);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.lines).toEqual([
      "csm-filter --secl 'open.file.path ",
      "csm-filter --secl 'process.uid == 0 && process.ancestors.file.",
    ]);
  });
});
