/**
 * Completing field paths inside a quoted `--where` query, and one step at a time (a path that
 * has children goes to its dot, with no space after it), in real shells with the script the
 * executable prints:
 * - bash: the completion function run the way readline runs it (COMP_WORDS keeps the opening
 *   quote; COMP_TYPE 9 for a Tab that inserts, unset or 63 for a list);
 * - zsh: an interactive `zsh -f` in a zpty, where Tab is typed and the line buffer read back;
 * - fish: `complete -C`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/inprocess.js';
import { ROOT } from '../helpers/run.js';
import { zshTyped } from '../helpers/zpty.js';

const has = (shell: string): boolean => spawnSync(shell, ['-c', 'true']).status === 0;
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
let dir: string;
const script = (tool: string, shell: string): string => join(dir, `${tool}.${shell}`);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'csm-completion-query-'));
  for (const tool of ['csm-filter', 'csm-schema'] as const) {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = await runMain(tool, ['completion', shell]);
      expect([r.code, r.stderr]).toEqual([0, '']);
      writeFileSync(script(tool, shell), r.out);
    }
  }
});

function sh(shell: string, args: string[]) {
  return spawnSync(shell, args, { encoding: 'utf8', cwd: ROOT, timeout: 60_000 });
}

/** COMPREPLY for the words typed so far (the last one is completed, as bash splits it: an open quote stays in it). */
function bash(words: string[], compType?: number): string[] {
  const r = sh('bash', [
    '--norc',
    '-c',
    `source ${q(script('csm-filter', 'bash'))}; COMP_WORDS=(csm-filter ${words.map(q).join(' ')}); COMP_CWORD=${words.length}; ` +
      `${compType === undefined ? '' : `COMP_TYPE=${compType}; `}_csm_filter; printf '%s\\n' "\${COMPREPLY[@]}"`,
  ]);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter((l) => l !== '');
}

describe('bash', () => {
  it("completes the path under the cursor in a quoted query, keeping the query (readline completes after the quote)", () => {
    expect(bash(['-w', "'process.execu"])).toEqual(['process.executable', 'process.executable.']);
    const after = bash(['-w', "'process.uid == 0 and process.exec"]);
    expect(after).toContain('process.uid == 0 and process.executable.');
    expect(after).toContain('process.uid == 0 and process.exec_time');
    expect(after.every((c) => c.startsWith('process.uid == 0 and process.exec'))).toBe(true);
    expect(bash(['-w', '"process.pid == 1 && process.credentials.ui'])).toEqual(['process.pid == 1 && process.credentials.uid']);
    expect(bash(['--where', '=', "'process.pid == 1 or exit.c"])).toEqual(['process.pid == 1 or exit.cause', 'process.pid == 1 or exit.code']);
  });

  it('where a path can start: the start, (, !, not, and, or, &&, ||', () => {
    for (const pre of ['', '(', '!', '! ', 'not ', 'a == 1 and ', 'a == 1 or ', 'a == 1 && ', 'a == 1 || ', 'a == 1 and not (', 'exists(', 'x == "a b" && ', 'x =~ r"a\\"b" and ']) {
      expect(bash(['-w', `'${pre}dns.question.na`]), pre).toEqual([`${pre}dns.question.name`]);
    }
  });

  it('nowhere else: not inside a string literal, not after a path or an operator, not in `not in`', () => {
    for (const line of ['x == "dns.question.na', 'x == "a\\" dns.question.na', 'x =~ r"a\\" dns.question.na', 'x == dns.question.na', 'x not dns.question.na', 'x dns.question.na', 'x in [dns.question.na']) {
      expect(bash(['-w', `'${line}`]), line).toEqual([]);
    }
    // a double-quoted shell word: the query's own quotes are typed \"
    expect(bash(['-w', '"x == \\"a b\\" && dns.question.na'])).toEqual(['x == \\"a b\\" && dns.question.name']);
    expect(bash(['-w', '"x == \\"a dns.question.na'])).toEqual([]);
  });

  it('a Tab that inserts (COMP_TYPE 9) goes one step: a path that has children only with its dot', () => {
    expect(bash(['--field', 'process.cred'], 9)).toEqual(['process.credentials.']);
    expect(bash(['--field', 'process.ancestors'], 9)).toEqual(['process.ancestors[*].']);
    expect(bash(['-f', 'evt.name,process.cred'], 9)).toEqual(['evt.name,process.credentials.']);
    // the list (Tab Tab, COMP_TYPE 63) shows the path itself too
    expect(bash(['--field', 'process.cred'], 63)).toEqual(['process.credentials', 'process.credentials.']);
  });

  it("in a quoted query, a lone match comes with a twin (a trailing space) so readline inserts it without closing the quote", () => {
    expect(bash(['-w', "'process.cred"], 9)).toEqual(['process.credentials.', 'process.credentials. ']);
    expect(bash(['-w', "'process.uid == 0 and process.credentials.ui"], 9)).toEqual([
      'process.uid == 0 and process.credentials.uid',
      'process.uid == 0 and process.credentials.uid ',
    ]);
    // unquoted, or a list: no twin
    expect(bash(['-w', 'process.credentials.ui'], 9)).toEqual(['process.credentials.uid']);
    expect(bash(['-f', "'process.pid"], 9)).toEqual(['process.pid']);
  });
});

function zsh(tool: string, cases: (readonly [string, string])[]): string[] {
  const r = zshTyped(dir, script(tool, 'zsh'), cases);
  expect([r.status, r.stderr]).toEqual([0, '']);
  return r.lines;
}

describe('zsh', () => {
  it.skipIf(!has('zsh'))('Tab in a real zsh: the path under the cursor in a quoted query', () => {
    const cases = [
      ["csm-filter -w 'process.execu", '\\t'],
      ["csm-filter -w 'process.uid == 0 and process.execu", '\\t'],
      ["csm-filter -w 'process.uid == 0 and (process.cred", '\\t'],
      ['csm-filter -w "process.x == \\"a b\\" && not process.cred', '\\t'],
      ["csm-filter -w 'exists(process.credentials.ui", '\\t'],
      // a path in a query ends with a space that goes when an operator follows; the quote stays open
      ["csm-filter -w 'process.uid == 0 or process.credentials.ui", '\\t =='],
      // not inside a string literal, not after a path
      ["csm-filter -w 'process.x == \"/usr/bin/pro", '\\t'],
      ["csm-filter -w 'process.pid not pro", '\\t'],
    ] as const;
    expect(zsh('csm-filter', [...cases])).toEqual([
      "csm-filter -w 'process.executable.",
      "csm-filter -w 'process.uid == 0 and process.executable.",
      "csm-filter -w 'process.uid == 0 and (process.credentials.",
      'csm-filter -w "process.x == \\"a b\\" && not process.credentials.',
      "csm-filter -w 'exists(process.credentials.uid ",
      "csm-filter -w 'process.uid == 0 or process.credentials.uid ==",
      "csm-filter -w 'process.x == \"/usr/bin/pro",
      "csm-filter -w 'process.pid not pro",
    ]);
  });

  it.skipIf(!has('zsh'))('Tab in a real zsh: one step at a time, a path that has children to its dot', () => {
    const cases = [
      ['csm-filter --field process.cred', '\\t'],
      // the dot goes with a space (the object itself), as a directory's slash does
      ['csm-filter --field process.cred', '\\t \\x20'],
      ['csm-filter --field process.ancestors', '\\t'],
      ['csm-filter -f pid,process.cred', '\\t'],
    ] as const;
    expect(zsh('csm-filter', [...cases])).toEqual([
      'csm-filter --field process.credentials.',
      'csm-filter --field process.credentials ',
      'csm-filter --field process.ancestors[*].',
      'csm-filter -f pid,process.credentials.',
    ]);
    expect(zsh('csm-schema', [['csm-schema describe process.cred', '\\t']])).toEqual(['csm-schema describe process.credentials.']);
  });
});

function fish(tool: string, line: string): string[] {
  const r = sh('fish', ['--no-config', '-c', `source ${q(script(tool, 'fish'))}; complete -C ${q(line)}`]);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t')[0]!);
}

describe('fish', () => {
  it.skipIf(!has('fish'))('complete -C: the path under the cursor in a quoted query', () => {
    const exec = fish('csm-filter', "csm-filter -w 'process.uid == 0 and process.exec");
    expect(exec.sort()).toEqual(['process.uid == 0 and process.exec_time', 'process.uid == 0 and process.executable.']);
    expect(fish('csm-filter', "csm-filter -w 'not exists(process.credentials.ui")).toEqual(['not exists(process.credentials.uid']);
    expect(fish('csm-filter', 'csm-filter -w "x == \\"a b\\" || dns.question.na')).toEqual(['x == "a b" || dns.question.name']);
    expect(fish('csm-filter', "csm-filter --where='process.pid == 1 or exit.c")).toEqual(['--where=process.pid == 1 or exit.cause', '--where=process.pid == 1 or exit.code']);
    expect(fish('csm-filter', "csm-filter -w 'x == \"dns.question.na")).toEqual([]);
    expect(fish('csm-filter', "csm-filter -w 'x not dns.question.na")).toEqual([]);
  });

  it.skipIf(!has('fish'))('one step at a time: a path that has children with its dot (and what follows it, shown by the pager)', () => {
    const cred = fish('csm-filter', "csm-filter -w 'process.cred");
    expect(cred[0]).toBe('process.credentials.');
    expect(cred).toContain('process.credentials.uid');
    expect(cred).not.toContain('process.credentials');
    expect(cred.every((c) => c.startsWith('process.credentials.'))).toBe(true);
    const c = fish('csm-filter', 'csm-filter --field process.c');
    expect(c).toContain('process.credentials.');
    expect(c).toContain('process.comm');
    expect(c).not.toContain('process.credentials.uid');
    expect(fish('csm-filter', 'csm-filter -f pid,process.ancestors').slice(0, 2)).toEqual(['pid,process.ancestors[*].', 'pid,process.ancestors[*].args']);
    expect(fish('csm-schema', 'csm-schema describe process.credentials.u')).toEqual(['process.credentials.uid', 'process.credentials.user']);
  });
});
