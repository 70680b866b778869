/**
 * The policy loader, as the agent loads policy files: located errors, macros (expression,
 * values, macros using macros, merge/override), rule overrides across files (disabled,
 * combine: override and its options; the expression is never replaced), filters and
 * agent_version per agent, fim expansion.
 */
import { describe, expect, it } from 'vitest';
import { expandFim } from '../../../src/rules/ruleset.js';
import { renderPolicyError } from '../../../src/rules/errors.js';
import { loadPolicies } from '../../../src/rules/index.js';
import { execEvent, file, loaded, matches } from './helpers.js';

const RULE_A = ['rules:', '  - id: a', '    expression: exec.file.path == "/bin/a"'];

describe('errors are located in the file', () => {
  it('an unknown field in a plain scalar: its line and column, and a did-you-mean', () => {
    const r = loaded([file('p.policy', 'rules:', '  - id: a', '    expression: exec.fil.path == "/x"')]);
    expect(r.errors).toEqual(["p.policy:3:17: rule a: expression: unknown field, constant or macro 'exec.fil.path' — did you mean 'exec.file.path'?"]);
  });

  it('an error on the second line of a block scalar points at that line', () => {
    const r = loaded([file('p.policy', 'rules:', '  - id: a', '    expression: |-', '      exec.file.path == "/x"', '        && process.uid == "root"')]);
    expect(r.errors).toEqual(['p.policy:5:27: rule a: expression: expected an integer, found a string']);
  });

  it("an error after a '' escape of a single-quoted scalar is found where it is in the file", () => {
    const r = loaded([file('p.policy', 'rules:', '  - id: a', "    expression: 'exec.file.path == \"it''s\" && nope == 1'")]);
    expect(r.errors).toEqual(["p.policy:3:47: rule a: expression: unknown field, constant or macro 'nope'"]);
  });

  it('the rendering shows the line and a caret under the culprit', () => {
    const l = loadPolicies([file('p.policy', 'rules:', '  - id: a', '    expression: exec.file.path == 1')]);
    const r = renderPolicyError(l.errors[0]);
    expect(r.source).toBe('      expression: exec.file.path == 1');
    expect(r.caret).toBe('                                    ^');
  });

  it('YAML that does not parse: the position of the YAML error', () => {
    const r = loaded([file('p.policy', 'rules:', '  - id: a', '    expression: "unclosed')]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^p\.policy:\d+:\d+: Missing closing "quote/);
  });

  it.each([
    [['rules:', '  - expression: exec.file.path == "/x"'], 'p.policy:2:5: rule without an id'],
    [['rules:', '  - id: bad-id', '    expression: exec.file.path == "/x"'], 'p.policy:2:5: rule bad-id: the id must match ^[a-zA-Z0-9_]*$'],
    [['rules:', '  - id: a'], 'p.policy:2:5: rule a: no expression'],
    [['rules:', '  - id: a', '    combine: overide', '    expression: exec.file.path == "/x"'], "p.policy:2:5: rule a: combine must be 'override', found 'overide'"],
    [['rules:', '  - id: a', '    agent_version: ">= seven"', '    expression: exec.file.path == "/x"'], "p.policy:3:21: rule a: agent_version: '>= seven' is not a semver constraint (>= 7.46, >=7.65 <7.70, ~7.50)"],
    [['rules:', '  - id: a', '    filters: [nope == 1]', '    expression: exec.file.path == "/x"'], "p.policy:3:15: rule a: filter: unknown field, constant or macro 'nope'"],
    [['rules:', '  - id: a', '    expression: [exec.file.path]'], 'p.policy:3:17: rule a: expression: expected a string, found a list'],
    [['macros:', '  - id: m', '    description: nothing'], 'p.policy:2:5: macro m: no expression and no values'],
  ])('%j is refused: %s', (lines, error) => {
    expect(loaded([file('p.policy', ...lines)]).errors).toEqual([error]);
  });
});

describe('macros', () => {
  it('a values macro is a list of plain strings, and a macro may use another macro', () => {
    const files = [
      file(
        'p.policy',
        'macros:',
        '  - id: shells',
        '    values: [bash, sh]',
        '  - id: shell_exec',
        '    expression: exec.file.name in shells',
        'rules:',
        '  - id: r',
        '    expression: shell_exec && process.uid == 0',
      ),
    ];
    expect(matches(files, execEvent('/bin/sh'))).toEqual(['r']);
    expect(matches(files, execEvent('/bin/zsh'))).toEqual([]);
  });

  it('combine: merge appends values from a later policy; override replaces them; no combine is ignored', () => {
    const base = file('default.policy', 'macros:', '  - id: m', '    values: [a]', 'rules:', '  - id: r', '    expression: exec.file.name in m');
    const merge = file('custom.policy', 'macros:', '  - id: m', '    combine: merge', '    values: [b]');
    const override = file('custom.policy', 'macros:', '  - id: m', '    combine: override', '    values: [c]');
    const ignored = file('custom.policy', 'macros:', '  - id: m', '    values: [d]');
    expect(['a', 'b', 'c'].map((n) => matches([base, merge], execEvent(`/bin/${n}`)).length)).toEqual([1, 1, 0]);
    expect(['a', 'c'].map((n) => matches([base, override], execEvent(`/bin/${n}`)).length)).toEqual([0, 1]);
    expect(['a', 'd'].map((n) => matches([base, ignored], execEvent(`/bin/${n}`)).length)).toEqual([1, 0]);
  });

  it('combine: merge of a macro with an expression is an error', () => {
    const base = file('default.policy', 'macros:', '  - id: m', '    expression: \'["a"]\'');
    const merge = file('custom.policy', 'macros:', '  - id: m', '    combine: merge', '    values: [b]');
    expect(loaded([base, merge]).errors).toEqual([
      'custom.policy:2:5: macro m: combine: merge needs values on both definitions: an expression cannot be merged (first defined in default.policy)',
    ]);
  });

  it('a macro that refers to itself is an error where it is used', () => {
    const r = loaded([file('p.policy', 'macros:', '  - id: m', '    expression: m', 'rules:', '  - id: r', '    expression: m')]);
    expect(r.errors.some((e) => e.includes("macro 'm' refers to itself"))).toBe(true);
  });
});

describe('rules across policy files (the agent merge)', () => {
  const def = file('default.policy', ...RULE_A);

  it('the first definition wins; a later one without combine changes nothing', () => {
    const custom = file('custom.policy', 'rules:', '  - id: a', '    expression: exec.file.path == "/bin/b"');
    expect(matches([def, custom], execEvent('/bin/a'))).toEqual(['a']);
    expect(matches([def, custom], execEvent('/bin/b'))).toEqual([]);
  });

  it('default.policy loads first whatever the order given', () => {
    const custom = file('custom.policy', 'rules:', '  - id: a', '    expression: exec.file.path == "/bin/b"');
    expect(matches([custom, def], execEvent('/bin/a'))).toEqual(['a']);
  });

  it('a custom policy disables a default rule', () => {
    const off = file('custom.policy', 'rules:', '  - id: a', '    disabled: true');
    const r = loaded([def, off]);
    expect(r.run).toEqual([]);
    expect(r.skipped).toEqual(['a: disabled by custom.policy']);
  });

  it('a custom rule disabled by another custom policy stays enabled (only default rules take it)', () => {
    const c1 = file('c1.policy', ...RULE_A);
    const c2 = file('c2.policy', 'rules:', '  - id: a', '    disabled: true');
    expect(loaded([c1, c2]).run).toEqual(['a']);
  });

  it('a disabled rule is enabled by a later definition, keeping its own expression', () => {
    const offDef = file('default.policy', 'rules:', '  - id: a', '    disabled: true', '    expression: exec.file.path == "/bin/a"');
    const on = file('custom.policy', 'rules:', '  - id: a', '    expression: exec.file.path == "/bin/b"');
    expect(matches([offDef, on], execEvent('/bin/a'))).toEqual(['a']);
    expect(matches([offDef, on], execEvent('/bin/b'))).toEqual([]);
  });

  it('combine: override never replaces the expression (the agent refuses it since override_options)', () => {
    const o = file('custom.policy', 'rules:', '  - id: a', '    combine: override', '    expression: exec.file.path == "/bin/b"');
    expect(matches([def, o], execEvent('/bin/a'))).toEqual(['a']);
  });

  it('combine: override with fields [actions, tags] adds the new actions and tags', () => {
    const base = file('default.policy', ...RULE_A, '    tags: {severity: low}', '    actions:', '      - set: {name: x, value: 1}');
    const o = file(
      'custom.policy',
      'rules:',
      '  - id: a',
      '    combine: override',
      '    override_options: {fields: [actions, tags]}',
      '    tags: {team: blue}',
      '    actions:',
      '      - set: {name: x, value: 1}',
      '      - set: {name: y, value: 2}',
    );
    const r = loaded([base, o]).rules[0].merged;
    expect(r.actions.map((a) => a.set?.name)).toEqual(['x', 'y']);
    expect(r.tags).toEqual({ severity: 'low', team: 'blue' });
    expect(r.policy.name).toBe('custom.policy');
  });

  it('override_options all copies every field but the expression, and only over a default rule', () => {
    const o = file('custom.policy', 'rules:', '  - id: a', '    combine: override', '    override_options: {fields: [all]}', '    expression: exec.file.path == "/bin/b"', '    tags: {t: v}');
    const r = loaded([def, o]).rules[0].merged;
    expect([r.tags, r.def.expression?.text]).toEqual([{ t: 'v' }, 'exec.file.path == "/bin/a"']);
    const c1 = file('c1.policy', ...RULE_A);
    expect(loaded([c1, o]).rules[0].merged.tags).toEqual({});
  });
});

describe('filters and agent_version decide per agent', () => {
  const p = file(
    'p.policy',
    'rules:',
    '  - id: linux_only',
    '    filters: [os == "linux"]',
    '    expression: exec.file.path == "/bin/a"',
    '  - id: windows_only',
    '    filters: [os == "windows"]',
    '    expression: exec.file.path == "/bin/a"',
    '  - id: recent',
    "    agent_version: '>= 7.60'",
    '    expression: exec.file.path == "/bin/a"',
    '  - id: band',
    "    agent_version: '>=7.55 <7.60'",
    '    expression: exec.file.path == "/bin/a"',
  );

  it.each([
    ['7.60.0', 'linux', ['linux_only', 'recent']],
    ['7.59.3', 'linux', ['linux_only', 'band']],
    ['7.60.0-rc.2+git.1', 'linux', ['linux_only', 'recent']],
    ['7.54.0', 'linux', ['linux_only']],
  ])('agent %s on %s runs %j', (version, os, ids) => {
    expect(matches([p], execEvent('/bin/a', { version, os }))).toEqual(ids);
  });

  it('an event without agent.version passes every agent_version', () => {
    const e = execEvent('/bin/a') as { agent: Record<string, unknown> };
    delete e.agent.version;
    expect(matches([p], e)).toEqual(['linux_only', 'recent', 'band']);
  });

  it('a filter on what the event does not say (kernel version) is assumed to hold, and the rule is approximate', () => {
    const k = file('p.policy', 'rules:', '  - id: k', '    filters: [kernel.version.major == 5 && os == "linux"]', '    expression: exec.file.path == "/bin/a"');
    const r = loaded([k]);
    expect(r.run).toEqual(['k']);
    expect(r.rules[0].evaluability.kind).toBe('approximate');
  });

  it('a rule of the other os is listed as not loaded, with its filter', () => {
    expect(loaded([p], { os: 'linux' }).skipped).toContain('windows_only: not loaded by a linux agent (filters: os == "windows")');
  });
});

describe('fim.write.file expansion, as the agent does it', () => {
  it('expands into the seven file events (eight expressions: rename also on its destination), with the write conditions', () => {
    const e = expandFim('fim.write.file.path == "/etc/x"');
    expect(e).toHaveLength(8);
    expect(e[0]).toBe('(open.file.path == "/etc/x") && open.flags & (O_CREAT|O_TRUNC|O_APPEND|O_RDWR|O_WRONLY) > 0');
    expect(e).toContain('rename.file.destination.path == "/etc/x"');
  });

  it('an expanded rule matches the file events and keeps its own id', () => {
    const f = [file('p.policy', 'rules:', '  - id: fim', '    expression: fim.write.file.path == "/etc/x"')];
    const unlink = { agent: { os: 'linux' }, evt: { name: 'unlink' }, file: { path: '/etc/x' } };
    const readOnly = { agent: { os: 'linux' }, evt: { name: 'open' }, file: { path: '/etc/x', flags: ['O_RDONLY'] } };
    expect(matches(f, unlink)).toEqual(['fim']);
    expect(matches(f, readOnly)).toEqual([]);
  });
});

describe('evaluability', () => {
  it.each([
    ['exec.file.path == "/x"', 'exact'],
    ['exec.file.path == "/x" && process.ancestors.file.name == "nginx"', 'approximate'],
    ['exec.file.path == "/x" && event.origin == "ebpf"', 'approximate'],
    ['connect.addr.is_public', 'not-evaluable'],
  ])('%s is %s', (expression, kind) => {
    const r = loaded([file('p.policy', 'rules:', '  - id: a', `    expression: '${expression}'`)]);
    expect(r.rules[0].evaluability.kind).toBe(kind);
  });

  it('a variable set by another rule makes the rule approximate, naming the setter', () => {
    const r = loaded([
      file(
        'p.policy',
        'rules:',
        '  - id: setter',
        '    expression: exec.file.path == "/x"',
        '    actions:',
        '      - set: {name: seen, scope: process, value: true}',
        '  - id: reader',
        '    expression: exec.file.path == "/y" && ${process.seen}',
      ),
    ]);
    const reader = r.rules.find((x) => x.id === 'reader')!;
    expect(reader.evaluability.kind).toBe('approximate');
    expect(reader.evaluability.reasons[0].detail).toBe('${process.seen} (set by setter)');
  });
});

describe('the engine on events', () => {
  const f = [
    file(
      'p.policy',
      'rules:',
      '  - id: open_etc',
      '    expression: open.file.path == "/etc/passwd"',
      '  - id: any_root',
      '    expression: process.uid == 0',
      '  - id: seen_before',
      '    expression: exec.file.path == "/bin/a" && ${process.seen}',
      '  - id: setter',
      '    expression: exec.file.path == "/never"',
      '    actions:',
      '      - set: {name: seen, scope: process, value: true}',
    ),
  ];

  it('a rule applies to the events of its fields type only (an exec event at file.path /etc/passwd is no open)', () => {
    const exec = execEvent('/etc/passwd', { uid: 1 });
    expect(matches(f, exec)).toEqual([]);
    const open = { agent: { os: 'linux' }, evt: { name: 'open' }, file: { path: '/etc/passwd' }, process: { uid: 0 } };
    expect(matches(f, open)).toEqual(['open_etc', 'any_root']);
  });

  it('${variables} are read from the variables the event carries', () => {
    const e = execEvent('/bin/a', { uid: 1 }) as { process: Record<string, unknown> };
    expect(matches(f, e)).toEqual([]);
    e.process.variables = { seen: true };
    expect(matches(f, e)).toEqual(['seen_before']);
  });
});
