/**
 * csm-rules through bin/: the default policy loads whole; events built to match ten of its
 * rules are found, their near misses are not; diff shows what an added exclusion changes;
 * a policy that does not load exits 2 with file:line:col and a caret; --jobs changes
 * nothing of the output.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, SHARED, lines, run } from '../helpers/run.js';

const POLICY = `${SHARED}policies/default.policy`;
const MATCH = `${ROOT}test/fixtures/rules/match.ndjson`;
const NEAR = `${ROOT}test/fixtures/rules/near-miss.ndjson`;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'csm-rules-'));
});

const ruleOf = (line: string): string => (JSON.parse(line) as { agent: { rule_id: string } }).agent.rule_id;

describe('csm-rules check', () => {
  it('loads the 319 rules and 50 macros of the default policy without an error, and lists every rule', async () => {
    const r = await run('csm-rules', ['check', '--format', 'tsv', POLICY]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^csm-rules: 319 rules and 50 macros loaded from 1 file; for a linux agent: \d+ exact, \d+ approximate, \d+ not evaluable from the backend JSON, 37 not loaded/);
    const rows = lines(r.out).slice(1).map((l) => l.split('\t'));
    expect(rows).toHaveLength(319);
    const kinds = new Set(rows.map((row) => row[2]));
    expect([...kinds].sort()).toEqual(['approximate', 'exact', 'not-evaluable', 'not-loaded']);
    expect(rows.find((row) => row[0] === 'connection_to_exfil_domain')?.[3]).toMatch(/^unavailable in the backend event: .*not written to the backend event/);
  });

  it('a policy that does not load: exit 2, every error with file:line:col, the line and a caret', async () => {
    const bad = join(dir, 'bad.policy');
    writeFileSync(bad, ['rules:', '  - id: a', '    expression: |-', '      exec.file.path == "/x"', '        && exec.fil.name == "y"', ''].join('\n'));
    const r = await run('csm-rules', ['check', bad]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.stderr).toBe(
      `csm-rules: ${bad}:5:12: rule a: expression: unknown field, constant or macro 'exec.fil.name' — did you mean 'exec.file.name'?\n` +
        '          && exec.fil.name == "y"\n' +
        '             ^^^^^^^^^^^^^\n' +
        'csm-rules: 1 error: the policies do not load\n',
    );
  });

  it('an unreadable policy file is named (exit 2)', async () => {
    const r = await run('csm-rules', ['check', join(dir, 'missing.policy')]);
    expect([r.code, r.stderr]).toEqual([2, `csm-rules: cannot read policy ${join(dir, 'missing.policy')}: no such file or directory\n`]);
  });
});

describe('csm-rules match', () => {
  it('finds each event built for a rule of the default policy, byte for byte', async () => {
    const r = await run('csm-rules', ['match', POLICY, MATCH]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(readFileSync(MATCH, 'utf8'));
  });

  it('says which rules matched each event (--format ndjson), its own rule among them', async () => {
    const r = await run('csm-rules', ['match', POLICY, MATCH, '--format', 'ndjson']);
    const records = lines(r.out).map((l) => JSON.parse(l) as { rules: string[]; line: number; event: { agent: { rule_id: string } } });
    expect(records).toHaveLength(10);
    for (const rec of records) expect(rec.rules, rec.event.agent.rule_id).toContain(rec.event.agent.rule_id);
  });

  it('matches no near miss with its rule', async () => {
    const r = await run('csm-rules', ['match', POLICY, NEAR, '--format', 'tsv', '--no-header']);
    expect(r.code).toBe(0);
    for (const row of lines(r.out)) {
      const [rules, , , event] = row.split('\t');
      expect(rules!.split(','), row).not.toContain(ruleOf(event!));
    }
  });

  it('--rule runs only those rules; --format tsv gives rules, file, line, event', async () => {
    const r = await run('csm-rules', ['match', '-p', POLICY, '--rule', 'delete_system_log', '--rule', 'exec_whoami', '--format', 'tsv', MATCH, NEAR]);
    expect(r.out).toBe(
      ['rules\tfile\tline\tevent', `exec_whoami\t${MATCH}\t1\t${lines(readFileSync(MATCH, 'utf8'))[0]}`, `delete_system_log\t${MATCH}\t6\t${lines(readFileSync(MATCH, 'utf8'))[5]}`, ''].join('\n'),
    );
  });

  it('--rule with an unknown id: exit 2 and did you mean', async () => {
    const r = await run('csm-rules', ['match', POLICY, '--rule', 'exec_whoamy', MATCH]);
    expect([r.code, r.stderr]).toEqual([2, "csm-rules: --rule exec_whoamy: no such rule in the policies — did you mean 'exec_whoami'? (csm-rules check lists them)\n"]);
  });

  it('--stats: per rule, matched, applied, exact or approximate', async () => {
    const r = await run('csm-rules', ['match', '--stats', '-q', POLICY, MATCH, NEAR]);
    expect(r.out).toBe('');
    const row = (id: string): string[] => r.stderr.split('\n').find((l) => l.startsWith(`${id} `))!.trim().split(/\s+/);
    // three unlink events: two in match.ndjson, one near miss
    expect(row('delete_system_log')).toEqual(['delete_system_log', '1', '3', 'exact']);
    expect(row('ptrace_injection')).toEqual(['ptrace_injection', '1', '2', 'exact']);
    // agent 7.72 in the near miss: exec_whoami (< 7.71) did not apply to it
    expect(row('exec_whoami')).toEqual(['exec_whoami', '1', '1', 'exact']);
  });

  it('reads stdin, reports a line that is not JSON and exits 1', async () => {
    const input = `${lines(readFileSync(MATCH, 'utf8'))[0]}\n{oops\n`;
    const r = await run('csm-rules', ['match', POLICY, '--rule', 'exec_whoami'], { input });
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${lines(input)[0]}\n`);
    expect(r.stderr).toMatch(/^<stdin>:2:2: /m);
  });

  it('--jobs 2 gives exactly the output of one thread', { timeout: 60_000 }, async () => {
    const big = join(dir, 'big.ndjson');
    const text = readFileSync(MATCH, 'utf8') + readFileSync(NEAR, 'utf8');
    writeFileSync(big, `${text.repeat(20)}{oops\n${text.repeat(20)}`);
    const small = join(dir, 'small.yaml');
    writeFileSync(small, ['rules:', '  - id: unlinks', '    expression: unlink.file.path != ""', '  - id: root_procs', '    expression: process.uid == 0 && process.comm != "rm"', ''].join('\n'));
    const args = ['--format', 'tsv', small, big];
    const [one, two] = await Promise.all([run('csm-rules', ['match', '-j', '1', ...args]), run('csm-rules', ['match', '-j', '2', ...args])]);
    expect(one.code).toBe(1);
    expect(lines(one.out).length).toBeGreaterThan(400);
    expect(two.out).toBe(one.out);
    expect([two.code, two.stderr]).toEqual([one.code, one.stderr]);
  });

  it('the event made on the bytes, by parsing the whole line, or by the measured choice: the same output and reports', { timeout: 120_000 }, async () => {
    const big = join(dir, 'ways.ndjson');
    const text = readFileSync(MATCH, 'utf8') + readFileSync(NEAR, 'utf8');
    // Enough lines for the choice to sample both ways and run one (rules/path-choice.ts), a bad line amid them.
    writeFileSync(big, `${text.repeat(150)}{"evt":{"name":"exec"},"x":[1,]}\n${text.repeat(150)}`);
    const args = ['match', '-j', '1', '--format', 'tsv', POLICY, big];
    const [auto, bytes, whole] = await Promise.all([
      run('csm-rules', args, { env: { CSM_BYTESEL: undefined } }),
      run('csm-rules', args, { env: { CSM_BYTESEL: '1' } }),
      run('csm-rules', args, { env: { CSM_BYTESEL: '0' } }),
    ]);
    expect(whole.code).toBe(1);
    expect(lines(whole.out).length).toBeGreaterThan(1000);
    expect(whole.stderr).toMatch(/ways\.ndjson:\d+:\d+: /);
    for (const r of [auto, bytes]) expect([r.code, r.out, r.stderr]).toEqual([whole.code, whole.out, whole.stderr]);
  });
});

describe('csm-rules diff', () => {
  it('shows the events an added exclusion stops matching, and only the rules that changed', async () => {
    const text = readFileSync(POLICY, 'utf8');
    // the tuning: delete_system_log (a plain scalar folded over two lines) no longer fires for rm
    const exclusion = '"/var/log/kern.log"] && process.comm\n      not in ["dockerd", "containerd"]';
    expect(text.split(exclusion)).toHaveLength(2);
    const tuned = join(dir, 'tuned.policy');
    writeFileSync(tuned, text.replace(exclusion, exclusion.replace('"containerd"]', '"containerd", "rm"]')));
    const r = await run('csm-rules', ['diff', POLICY, tuned, '--show', MATCH, NEAR]);
    expect(r.code).toBe(0);
    const matchLines = lines(readFileSync(MATCH, 'utf8'));
    expect(r.out).toBe(`-delete_system_log\t${matchLines[5]}\nrule\told_only\tnew_only\ndelete_system_log\t1\t0\n`);
  });

  it('says so when nothing changes', async () => {
    const r = await run('csm-rules', ['diff', POLICY, POLICY, MATCH]);
    expect([r.code, r.out]).toEqual([0, '']);
    expect(r.stderr).toContain('no rule matches differently');
  });
});
