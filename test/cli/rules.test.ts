/**
 * csm-rules' main in-process: usage errors (one line, exit 2), how arguments are told
 * apart, check's formats and agent, the caret coloured only when asked, match's formats
 * on the example events, diff's output.
 */
import { describe, expect, it } from 'vitest';
import { splitArgs } from '../../src/cli/rules-load.js';
import { runMain } from '../helpers/inprocess.js';
import { EXAMPLES } from '../helpers/run.js';

const SMALL = 'test/fixtures/rules/small.policy';
const BROKEN = 'test/fixtures/rules/broken.policy';

describe('arguments', () => {
  it('policy files by name (.policy, .yaml, .yml, any case) or -p, in the order given; the rest are event files', () => {
    const argv = ['a.yml', '-p', 'b.json', 'events.ndjson', 'C.POLICY', '-'];
    expect(splitArgs(argv, ['a.yml', 'events.ndjson', 'C.POLICY', '-'], ['b.json'])).toEqual({ policies: ['a.yml', 'b.json', 'C.POLICY'], events: ['events.ndjson', '-'] });
  });

  it.each([
    [[], 'csm-rules: expected a command: check, match, diff (see --help)\n'],
    [['frob'], "csm-rules: unknown command 'frob': expected check, match, diff (see --help)\n"],
    [['check'], 'csm-rules: check: no policy file (see --help)\n'],
    [['check', SMALL, EXAMPLES], `csm-rules: check takes policy files only: ${EXAMPLES} (policy files end in .policy, .yaml or .yml, or come with -p)\n`],
    [['match', EXAMPLES], 'csm-rules: match: no policy file (name it *.policy, *.yaml, *.yml, or give it with -p)\n'],
    [['diff', SMALL, EXAMPLES], 'csm-rules: diff takes two policy files, OLD and NEW, found 1 (policy files end in .policy, .yaml or .yml, or come with -p)\n'],
    [['check', '--agent-version', 'seven', SMALL], 'csm-rules: --agent-version "seven": not a version (7.56.0)\n'],
    [['match', '--rule', 'public_connect', SMALL, EXAMPLES], 'csm-rules: --rule public_connect: cannot be evaluated from the backend JSON: connect.addr.is_public (not written to the backend event)\n'],
    [['match', '--format', 'csv', SMALL], "csm-rules: option '--format <FORMAT>' argument 'csv' is invalid. Allowed choices are lines, tsv, ndjson. (see --help)\n"],
  ])('%j: exit 2, %s', async (args, stderr) => {
    const r = await runMain('csm-rules', args);
    expect([r.code, r.stderr, r.out]).toEqual([2, stderr, '']);
  });
});

describe('check', () => {
  it('--format json: one object per rule', async () => {
    const r = await runMain('csm-rules', ['check', '--format', 'json', SMALL]);
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n').map((l) => JSON.parse(l) as { id: string; evaluation: string })).toEqual([
      expect.objectContaining({ id: 'shell_from_web_server', evaluation: 'approximate' }),
      expect.objectContaining({ id: 'root_curl', evaluation: 'exact', reasons: [] }),
      expect.objectContaining({ id: 'module_from_tmp', evaluation: 'exact' }),
      expect.objectContaining({ id: 'public_connect', evaluation: 'not-evaluable' }),
    ]);
  });

  it('--agent-version: a rule outside its agent_version is not loaded', async () => {
    const r = await runMain('csm-rules', ['check', '--format', 'tsv', '--no-header', '--agent-version', '7.49.2', SMALL]);
    expect(r.out).toContain('module_from_tmp\tsmall.policy\tnot-loaded\tnot loaded by a linux agent (agent_version: >= 7.50)\n');
  });

  it('load errors: the caret is red with --color always, plain otherwise', async () => {
    const plain = await runMain('csm-rules', ['check', BROKEN]);
    expect(plain.stderr).not.toContain('\u001b[');
    const red = await runMain('csm-rules', ['check', '--color', 'always', BROKEN]);
    expect(red.stderr).toContain('\u001b[31m\u001b[1m');
    expect(red.code).toBe(2);
  });
});

describe('match and diff on the example events', () => {
  it('--format ndjson keeps the event as read, with the rule ids', async () => {
    const r = await runMain('csm-rules', ['match', '--format', 'ndjson', SMALL, EXAMPLES]);
    const first = r.out.split('\n')[0]!;
    expect(first.startsWith(`{"rules":["shell_from_web_server"],"file":"${EXAMPLES}","line":1,"event":{"agent":`)).toBe(true);
    expect(JSON.parse(first)).toHaveProperty('event.agent.rule_id', 'shell_spawned_by_web_server');
  });

  it('nothing matched: exit 0 and a line on stderr that says so', async () => {
    const r = await runMain('csm-rules', ['match', '--rule', 'module_from_tmp', SMALL], { input: '{"evt":{"name":"exec"}}\n' });
    expect([r.code, r.out, r.stderr]).toEqual([0, '', 'csm-rules: no event matched a rule\n']);
  });
});
