/**
 * Issue 12, sections 2-4, through the real binaries: a mixed Linux 2024 /
 * Linux 2025 / Windows stream (examples/mixed-agents.ndjson, built from
 * csm-schema samples and a Datadog corpus event) judged each by its own schema,
 * `--schema` names and files, agent custom events, the tolerance flags and
 * their warnings, csm-schema versions and diff, the empty-run hints and the
 * query warnings.
 *
 * The stream, line by line: 1 exec from agent 7.55.3 (valid, linux-2024-08);
 * 2 connect from 7.71.0 (valid only in linux-2025-09); 3 DNS query from 7.72.1
 * with "response": null as the agent writes it; 4 Windows registry event;
 * 5 a corpus exec event from 7.54.0 (credentials without auid); 6 the agent's
 * ruleset_loaded event; 7 exec from 7.73.0 with a key no schema declares.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, lines, run } from '../helpers/run.js';

const MIXED = 'examples/mixed-agents.ndjson';
const mixed = readFileSync(`${ROOT}${MIXED}`, 'utf8');
const mixedLines = lines(mixed);
const dir = mkdtempSync(join(tmpdir(), 'csm-schemas-'));

describe('--schema auto: each event judged by the schema of its agent', () => {
  it('reports each invalid line with the schema that judged it, and passes the valid ones on', async () => {
    const r = await run('csm-validate', [MIXED]);
    expect(r.code).toBe(1);
    expect(lines(r.out)).toEqual([mixedLines[0], mixedLines[1], mixedLines[3], mixedLines[5]]);
    const errs = lines(r.stderr);
    expect(errs).toContain(`${MIXED}:3:${mixedLines[2]!.indexOf('null') + 1}: /dns/response: expected object, found null (type) [linux-2025-09]`);
    expect(errs.filter((l) => l.startsWith(`${MIXED}:5:`)).every((l) => l.endsWith("missing required key 'auid' (required) [linux-2024-08]"))).toBe(true);
    expect(errs).toContain(`${MIXED}:7:${mixedLines[6]!.indexOf('"is_through_symlink"') + 1}: /process: unknown key 'is_through_symlink' (not in the schema) (additionalProperties) [linux-2025-09]`);
    expect(errs.filter((l) => /^examples\/mixed-agents\.ndjson:[1246]:/.test(l))).toEqual([]);
  });

  it('--summary and --summary-json count the lines per schema and the agent events apart', async () => {
    const json = join(dir, 'summary.json');
    const r = await run('csm-validate', ['-q', '--summary', '--summary-json', json, MIXED]);
    expect(r.stderr).toMatch(/\n {2}agent events +1\n/);
    expect(r.stderr).toMatch(/lines by schema\n {4}linux-2025-09 +3 .*\n {4}linux-2024-08 +2 .*\n {4}windows-2024-06 +1 /);
    expect(r.stderr).toMatch(/agent custom events \(agent\.rule_id\), not judged as CSM events\n {4}ruleset_loaded +1 /);
    const s = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>;
    expect(s).toMatchObject({ read: 7, valid: 4, invalid: 3, schemas: { 'linux-2025-09': 3, 'linux-2024-08': 2, 'windows-2024-06': 1 }, custom: { ruleset_loaded: 1 } });
    expect(s.kinds).toEqual({ exec: 3, connect: 1, dns: 1, set_key_value: 1 });
  });

  it('names the schema in --error-format json and github too', async () => {
    const j = await run('csm-validate', ['-q', '--error-format', 'json', MIXED]);
    expect(lines(j.stderr).map((l) => (JSON.parse(l) as { line: number; schema: string }).schema)).toEqual(['linux-2025-09', 'linux-2024-08', 'linux-2025-09']);
    const g = await run('csm-validate', ['-q', '--error-format', 'github', MIXED]);
    expect(lines(g.stderr)[0]).toBe(
      `::error file=${MIXED},line=3,col=${mixedLines[2]!.indexOf('null') + 1},title=CSM event (type) [linux-2025-09]::/dns/response: expected object, found null`,
    );
  });

  it('gives the same verdicts in --jobs workers', async () => {
    const one = await run('csm-validate', ['-j', '1', MIXED]);
    const many = await run('csm-validate', ['-j', '2', MIXED]);
    expect([many.code, many.out, many.stderr]).toEqual([one.code, one.out, one.stderr]);
  });
});

describe('--schema NAME|FILE', () => {
  it('judges every line by one bundled schema, named in the reports', async () => {
    const r = await run('csm-validate', ['-q', '--schema', 'linux-2024-08', MIXED]);
    expect(r.stderr).toContain(`${MIXED}:2:${mixedLines[1]!.indexOf('"connect":{') + 1}: (root): unknown key 'connect' (not in the schema) (additionalProperties) [linux-2024-08]`);
    const w = await run('csm-validate', ['-q', '--schema', 'windows-2024-06'], { input: `${mixedLines[3]}\n` });
    expect([w.code, w.stderr]).toEqual([0, '']);
  });

  it('judges by a schema file, whose reports name no bundled schema', async () => {
    const file = join(dir, 'mine.schema.json');
    writeFileSync(file, JSON.stringify({ type: 'object', required: ['agent'] }));
    const r = await run('csm-validate', ['-q', '--schema', file], { input: '{"x":1}\n' });
    expect([r.code, r.stderr]).toEqual([1, "<stdin>:1:1: (root): missing required key 'agent' (required)\n"]);
  });

  it('refuses an unknown name with the closest one', async () => {
    const r = await run('csm-validate', ['--schema', 'linux-2025', MIXED]);
    expect([r.code, r.stderr]).toEqual([
      2,
      "csm-validate: no schema 'linux-2025': not a bundled schema (did you mean 'linux-2025-09'?) nor a file; --schema takes auto, linux-2024-08, linux-2025-09, windows-2024-06 or a FILE\n",
    ]);
  });

  it('csm-filter checks paths against the newest Linux schema by default, or the one named', async () => {
    const auto = await run('csm-filter', ['-c', '-w', 'connect.addr.port == 80', MIXED]);
    expect([auto.code, auto.out]).toEqual([0, '1\n']);
    const old = await run('csm-filter', ['-c', '--schema', 'linux-2024-08', '-w', 'connect.addr.port == 80', MIXED]);
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(/^csm-filter: --where: unknown field 'connect'/);
    const win = await run('csm-filter', ['--schema', 'windows-2024-06', '-f', 'registry.value_name', '--format', 'raw', MIXED]);
    expect([win.code, win.out]).toEqual([0, 'updater\n']);
  });

  it('csm-filter --validate judges per event too', async () => {
    const r = await run('csm-filter', ['--validate', '-c', '--summary', MIXED]);
    expect([r.code, r.out]).toEqual([1, '4\n']);
    expect(r.stderr).toMatch(/lines by schema\n {4}linux-2025-09 +3/);
  });
});

describe('agent custom events in the stream', () => {
  it('are passed on and selected by their rule id, not reported as invalid CSM events', async () => {
    const r = await run('csm-filter', ['-k', 'ruleset_loaded', '--summary', MIXED]);
    expect([r.code, r.out]).toEqual([0, `${mixedLines[5]}\n`]);
    expect(r.stderr).toMatch(/agent custom events \(agent\.rule_id\), not judged as CSM events\n {4}ruleset_loaded +1 /);
    const v = await run('csm-validate', ['-q'], { input: `${mixedLines[5]}\n{"agent":{"rule_id":"heartbeat"},"policy":[]}\n` });
    expect([v.code, v.stderr]).toEqual([0, '']);
  });
});

describe('tolerating known drift: --allow-unknown-keys, --ignore', () => {
  it('turns the tolerated problems into warnings, reported and counted, exit 0', async () => {
    const json = join(dir, 'warn.json');
    const r = await run('csm-validate', [
      '-q', '--summary-json', json, '--allow-unknown-keys', '--ignore', 'type:/dns/response', '--ignore', 'required:/process/**/auid', MIXED,
    ]);
    expect(r.code).toBe(0);
    const errs = lines(r.stderr);
    expect(errs).toContain(`${MIXED}:3:${mixedLines[2]!.indexOf('null') + 1}: warning: /dns/response: expected object, found null (type) [linux-2025-09]`);
    expect(errs.every((l) => l.includes(': warning: '))).toBe(true);
    expect(errs).toHaveLength(6);
    const s = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>;
    expect(s).toMatchObject({ valid: 7, invalid: 0, warnings: 3 });
    expect(s.warningPaths).toMatchObject({ '/dns/response (type)': 1, '/process/is_through_symlink (additionalProperties)': 1 });
  });

  it('gives warnings their own severity in json and github reports', async () => {
    const j = await run('csm-validate', ['-q', '--error-format', 'json', '--ignore', 'type:/dns/response'], { input: `${mixedLines[2]}\n` });
    expect(j.code).toBe(0);
    const report = JSON.parse(j.stderr) as { errors: unknown[]; warnings: { keyword: string; severity: string }[]; schema: string };
    expect(report).toMatchObject({ schema: 'linux-2025-09', errors: [], warnings: [{ keyword: 'type', severity: 'warning' }] });
    const g = await run('csm-validate', ['-q', '--error-format', 'github', '--ignore', 'type'], { input: `${mixedLines[2]}\n` });
    expect(g.stderr).toMatch(/^::warning line=1,col=\d+,title=CSM event \(type\) \[linux-2025-09\]::\/dns\/response: expected object, found null\n$/);
  });

  it('refuses a keyword that is not one, and the flags without --validate in csm-filter', async () => {
    const r = await run('csm-validate', ['--ignore', 'tpye:/dns/response', MIXED]);
    expect([r.code, r.stderr]).toEqual([
      2,
      "csm-validate: --ignore tpye:/dns/response: unknown keyword 'tpye' — did you mean 'type'? (expected KEYWORD[:POINTER-GLOB], e.g. type:/dns/response)\n",
    ]);
    const f = await run('csm-filter', ['--allow-unknown-keys', MIXED]);
    expect([f.code, f.stderr]).toEqual([2, 'csm-filter: --allow-unknown-keys goes with --validate (csm-filter judges events only then)\n']);
  });
});

describe('csm-schema versions and diff', () => {
  it('lists the bundled schemas with their $defs, dates, agents and provenance', async () => {
    const r = await run('csm-schema', ['versions', '--format', 'tsv']);
    expect(r.code).toBe(0);
    expect(lines(r.out).slice(0, 4).map((l) => l.split('\t').slice(0, 5))).toEqual([
      ['name', 'os', 'date', 'defs', 'agents'],
      ['linux-2024-08', 'linux', '2024-08-01', '44', 'Linux agents < 7.71.0'],
      ['linux-2025-09', 'linux', '2025-09-04', '60', 'Linux agents >= 7.71.0, and events without a usable agent.version'],
      ['windows-2024-06', 'windows', '2024-06-17', '13', 'every Windows agent'],
    ]);
    expect(r.out).toContain('backend_linux.schema.json @ 2836682c0b');
  });

  it('diffs two bundled schemas: sections, $defs, required keys, paths', async () => {
    const r = await run('csm-schema', ['diff', 'linux-2024-08', 'linux-2025-09']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^linux-2024-08 -> linux-2025-09\nsections: 9 new, 0 removed\n {2}\+ accept\n/);
    expect(r.out).toContain('$defs: 16 new, 0 removed, 12 changed\n');
    expect(r.out).toMatch(/ {2}~ DNSEvent\n {4}\+ properties: is_query, response\n {4}\+ required: is_query, response\n/);
    expect(r.out).toContain('  + connect.addr.ip\n');
    const j = await run('csm-schema', ['diff', '--format', 'json', 'linux-2025-09', 'linux-2024-08']);
    expect((JSON.parse(j.out) as { sections: { removed: string[] } }).sections.removed).toHaveLength(9);
  });

  it('samples of a bundled schema are judged by that same schema under auto', async () => {
    for (const name of ['linux-2024-08', 'linux-2025-09']) {
      const s = await run('csm-schema', ['sample', '--schema', name, '-k', 'exec,dns']);
      const v = await run('csm-validate', ['-q', '--error-format', 'json', '--summary-json', join(dir, `${name}.json`)], { input: s.out });
      expect([v.code, v.stderr]).toEqual([0, '']);
      expect((JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as { schemas: unknown }).schemas).toEqual({ [name]: 2 });
    }
  });
});

describe('no silent empty answers', () => {
  const archive = `${JSON.stringify({ _id: 'AAA', date: '2025-10-02T09:30:00Z', host: 'web-1', service: 'runtime-security-agent', attributes: JSON.parse(mixedLines[0]!) })}\n`;

  it('csm-filter that selects nothing from archive records read as NDJSON says why, and which flag reads them', async () => {
    // (auto-detection reads them as an archive: the hint is for an input forced to NDJSON)
    const r = await run('csm-filter', ['--input', 'ndjson', '-k', 'exec'], { input: archive.repeat(3) });
    expect([r.code, r.out]).toEqual([0, '']);
    expect(r.stderr).toBe(
      'csm-filter: hint: 3 of 3 JSON lines look like Datadog Logs archive records (the event is under "attributes"): read them with --input archive (or jq -c .attributes)\n',
    );
  });

  it('csm-validate says it too, after the reports', async () => {
    const r = await run('csm-validate', ['-q', '--input', 'ndjson'], { input: '{"data":[],"meta":{}}\n' });
    expect(r.code).toBe(1);
    expect(lines(r.stderr).at(-1)).toBe(
      'csm-validate: hint: the only JSON line looks like Datadog Logs/Signals API responses (events under data[].attributes.attributes): read them with --input api',
    );
  });

  it('names lines without evt.name, and says nothing when something was selected', async () => {
    const r = await run('csm-filter', ['-k', 'exec'], { input: '{"a":1}\n{"b":2}\n' });
    expect(r.stderr).toBe('csm-filter: hint: 2 of 2 JSON lines have no evt.name, so --kind cannot match them: are they CSM events? (csm-validate tells; csm-schema kinds lists the kinds)\n');
    const ok = await run('csm-filter', ['--input', 'ndjson', '-k', 'exec'], { input: `${archive}${mixedLines[0]}\n` });
    expect([ok.out, ok.stderr]).toEqual([`${mixedLines[0]}\n`, '']);
  });
});

describe('query warnings at compile time', () => {
  it('warns of a glob that looks like a regex, with a caret, and runs the query as written', async () => {
    const r = await run('csm-filter', ['-c', '-w', 'process.executable.path =~ "^/usr/bin/"', MIXED]);
    expect([r.code, r.out]).toEqual([0, '0\n']);
    expect(r.stderr).toBe(
      'csm-filter: warning: --where: "^/usr/bin/" is a glob, which matches the whole string and takes ^ $ . + ( | as plain characters; for a regular expression write r"^/usr/bin/" at column 28\n' +
        '  process.executable.path =~ "^/usr/bin/"\n' +
        '                             ^^^^^^^^^^^^\n',
    );
  });

  it('warns that * stops at / on a path field', async () => {
    const r = await run('csm-filter', ['-c', '-w', 'process.executable.path =~ "/usr/*"', MIXED]);
    expect(r.out).toBe('0\n');
    expect(lines(r.stderr)[0]).toBe(
      `csm-filter: warning: --where: '*' stops at '/': "/usr/*" matches within one directory level; to match at any depth write "/usr/**" at column 28`,
    );
    const deep = await run('csm-filter', ['-c', '-w', 'process.executable.path =~ "/usr/**"', MIXED]);
    expect([deep.out, deep.stderr]).toEqual(['4\n', '']);
  });
});
