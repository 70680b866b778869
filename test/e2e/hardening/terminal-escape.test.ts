/**
 * Nothing from the data reaches a terminal as something it obeys (issue 17,
 * item 2): keys, instance paths, file names, kinds and schema descriptions are
 * shown through one escaping rule (src/core/escape.ts, README "Guarantees").
 * ESC becomes `\x1b`, a newline `\x0a`, U+202E `\u202e`; JSON output escapes
 * them as `\u001b`, `\u202e`.
 */
import { symlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../../helpers/run.js';
import { VALID, useTempDir } from './support.js';

const { tmp, path } = useTempDir('escape');

/** What a terminal obeys or reorders: C0 (a newline ends a line, so it is allowed), DEL, C1, bidi controls, separators. */
const OBEYED = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

function expectTerminalSafe(text: string): void {
  expect(text).not.toMatch(OBEYED);
}

/** The payloads of the issue: OSC 8 hyperlink, OSC 52 clipboard write, CSI 2J, CR, BS, U+202E, U+009B, and a forged report line. */
const OSC8 = '\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07';
const OSC52 = '\x1b]52;c;cm0gLXJmIH4=\x07';
const NASTY = `${OSC8}${OSC52}\x1b[2J\rover\bwrite\u202eexe.txt\u009b2J\nf.ndjson:9:1: FORGED (required)`;
const NASTY_SHOWN =
  '\\x1b]8;;http://evil.example/\\x07click\\x1b]8;;\\x07\\x1b]52;c;cm0gLXJmIH4=\\x07\\x1b[2J\\x0dover\\x08write\\u202eexe.txt\\u009b2J\\x0af.ndjson:9:1: FORGED (required)';

/** A valid event with extra content: an unknown key under evt, a wrong-typed key under k8s_extra, a kind. */
function event(extra: { evtKey?: string; k8sKey?: string; kind?: string }): string {
  const e = JSON.parse(VALID) as Record<string, any>;
  if (extra.evtKey !== undefined) e.evt[extra.evtKey] = 1;
  if (extra.k8sKey !== undefined) e.process.user_session = { k8s_extra: { [extra.k8sKey]: 1 } };
  if (extra.kind !== undefined) e.evt.name = extra.kind;
  return JSON.stringify(e);
}

describe('csm-validate text reports: data is escaped, one line per error', () => {
  it('an unknown key holding OSC 8, OSC 52, CSI 2J, CR, BS, U+202E, U+009B and a newline is shown escaped and forges no line', async () => {
    const r = await run('csm-validate', ['-q'], { input: `${event({ evtKey: NASTY })}\n` });
    expect(r.code).toBe(1);
    expectTerminalSafe(r.stderr);
    expect(r.stderr).toBe(`<stdin>:1:${r.stderr.split(':')[2]}: /evt: unknown key '${NASTY_SHOWN}' (not in the schema) (additionalProperties) [linux-2024-08]\n`);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('f.ndjson'))).toEqual([]);
  });

  it('a key under k8s_extra is escaped in the instance path', async () => {
    const r = await run('csm-validate', ['-q'], { input: `${event({ k8sKey: 'a\x1b[31mred\u202e\nb' })}\n` });
    expect(r.code).toBe(1);
    expectTerminalSafe(r.stderr);
    expect(r.stderr).toContain(': /process/user_session/k8s_extra/a\\x1b[31mred\\u202e\\x0ab: expected array, found integer (type) [linux-2024-08]\n');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('a file name with ESC and a newline is escaped in its reports, and in "cannot read"', async () => {
    const name = tmp('bad\x1b[2J\nf.ndjson:9:1: FORGED.ndjson', `${event({ evtKey: 'x' })}\n`);
    const missing = path('gone\x1b]52;c;aGk=\x07.ndjson');
    const r = await run('csm-validate', ['-q', name, missing]);
    expect(r.code).toBe(2);
    expectTerminalSafe(r.stderr);
    const out = r.stderr.trimEnd().split('\n');
    expect(out).toHaveLength(2);
    expect(out[0]).toContain('bad\\x1b[2J\\x0af.ndjson:9:1: FORGED.ndjson:1:');
    expect(out[1]).toMatch(/^csm-validate: cannot read .*gone\\x1b\]52;c;aGk=\\x07\.ndjson: no such file or directory$/);
  });

  it('--errors FILE gets the same escaped reports', async () => {
    const errors = path('errors.txt');
    const r = await run('csm-validate', ['-q', '--errors', errors], { input: `${event({ evtKey: NASTY })}\n` });
    expect(r.code).toBe(1);
    const { readFileSync } = await import('node:fs');
    expectTerminalSafe(readFileSync(errors, 'utf8'));
    expect(readFileSync(errors, 'utf8')).toContain(NASTY_SHOWN);
  });

  it('--error-format github escapes the data, then escapes for GitHub', async () => {
    const r = await run('csm-validate', ['-q', '--error-format', 'github'], { input: `${event({ evtKey: NASTY })}\n` });
    expectTerminalSafe(r.stderr);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('\\x1b]8;;http%3A//evil'.replace('%3A', ':'));
  });
});

describe('csm-validate --error-format json: C1, bidi controls and separators escaped too', () => {
  it('U+202E, U+009B, DEL and U+2028 are \\u escapes; the report is the same JSON value', async () => {
    const key = 'a\u202eb\u009bc\x7fd\u2028e\x1bf';
    const r = await run('csm-validate', ['-q', '--error-format', 'json'], { input: `${event({ evtKey: key })}\n` });
    expect(r.code).toBe(1);
    expectTerminalSafe(r.stderr);
    expect(r.stderr).toContain('a\\u202eb\\u009bc\\u007fd\\u2028e\\u001bf');
    const report = JSON.parse(r.stderr) as { errors: { message: string }[] };
    expect(report.errors[0]!.message).toBe(`unknown key '${key}' (not in the schema)`);
  });
});

describe('--summary: labels escaped, then cut', () => {
  it('kinds and error paths from the data are escaped; a long label is cut between escapes, never inside one', async () => {
    const kind = `exec${OSC8}`;
    const longKey = `${'k'.repeat(40)}${OSC8}`;
    const r = await run('csm-validate', ['-q', '--summary'], { input: `${event({ kind, evtKey: longKey })}\n` });
    expectTerminalSafe(r.stderr);
    // 48 columns at most, cut after the last whole piece that fits: `\x1b]8` then `…`.
    expect(r.stderr).toContain('    exec\\x1b]8;;http://evil.example/\\x07click\\x1b]8…  1  █');
    const label = r.stderr.split('\n').find((l) => l.includes('/evt/kkkk'))!;
    // 48 columns at most: `/evt/` + 40 k + `\x1b` is 49, so the cut falls before the escape.
    expect(label.trim()).toMatch(/^\/evt\/k{40}… +1 +█/);
  });

  it('--summary-json escapes them as JSON does, C1 and bidi included', async () => {
    const json = path('summary.json');
    await run('csm-validate', ['-q', '--summary-json', json], { input: `${event({ kind: 'exec\u202e\u009b' })}\n` });
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(json, 'utf8');
    expectTerminalSafe(text);
    expect(Object.keys((JSON.parse(text) as { kinds: object }).kinds)).toEqual(['exec\u202e\u009b']);
  });
});

describe('csm-filter: what it prints of the data and of the command line', () => {
  it('a query with ESC is echoed escaped, the caret under the whole escape', async () => {
    const r = await run('csm-filter', ['-w', 'process.pid == \x1b[2J'], { input: '' });
    expect(r.code).toBe(2);
    expectTerminalSafe(r.stderr);
    expect(r.stderr).toContain('csm-filter: --where: unexpected character U+001B at column 16\n  process.pid == \\x1b[2J\n                 ^^^^\n');
  });

  it('an unknown --kind and a bad --field are escaped', async () => {
    const k = await run('csm-filter', ['-k', 'exec\x1b[2J\u202e'], { input: '' });
    expect(k.code).toBe(2);
    expect(k.stderr).toBe("csm-filter: --kind: unknown kind 'exec\\x1b[2J\\u202e' (see csm-schema kinds)\n");
    const f = await run('csm-filter', ['-f', 'process.\x1b[2Jx'], { input: '' });
    expect(f.code).toBe(2);
    expectTerminalSafe(f.stderr);
  });

  it('--format tsv escapes control and bidi characters (backslash doubled, so it reads back); ndjson as JSON escapes', async () => {
    const line = event({ kind: 'exec' }).replace('"title":"', '"title":"\\u001b[2J\\u202e\u009b\\\\');
    const tsv = await run('csm-filter', ['-f', 'title', '--format', 'tsv', '--no-header'], { input: `${line}\n` });
    expect(tsv.code).toBe(0);
    expectTerminalSafe(tsv.out.replace(/\t/g, ' '));
    expect(tsv.out.startsWith('\\x1b[2J\\u202e\\u009b\\\\')).toBe(true);
    const nd = await run('csm-filter', ['-f', 'title'], { input: `${line}\n` });
    expectTerminalSafe(nd.out);
    expect(nd.out.startsWith('{"title":"\\u001b[2J\\u202e\\u009b\\\\')).toBe(true);
  });

  it('--format raw passes strings as they are, like jq -r (it is data for a pipe; the README says so)', async () => {
    const line = event({ kind: 'exec' }).replace('"title":"', '"title":"\\u001b[2J');
    const raw = await run('csm-filter', ['-f', 'title', '--format', 'raw'], { input: `${line}\n` });
    expect(raw.out.startsWith('\x1b[2J')).toBe(true);
  });
});

describe('csm-schema: a --schema file is data too', () => {
  const schema = JSON.stringify({
    type: 'object',
    properties: {
      ['k\x1b]8;;http://x\x07']: { type: 'string', description: `desc ${NASTY}` },
    },
  });

  it('fields (text, tsv, json) and describe escape keys and descriptions', async () => {
    const file = tmp('evil.json', schema);
    for (const format of ['text', 'tsv', 'json']) {
      const r = await run('csm-schema', ['fields', '--schema', file, '--format', format]);
      expect(r.code).toBe(0);
      expectTerminalSafe(format === 'tsv' ? r.out.replace(/\t/g, ' ') : r.out);
      expect(r.out.trimEnd().split('\n')).toHaveLength(format === 'json' ? 1 : 2);
    }
    const text = await run('csm-schema', ['fields', '--schema', file]);
    expect(text.out).toContain(`desc ${NASTY_SHOWN}`);
    // The key's path, as fields prints it (JSON escapes in the quotes), is what describe takes.
    expect(text.out).toContain('["k\\u001b]8;;http://x\\u0007"]');
    const d = await run('csm-schema', ['describe', '--schema', file, '["k\\u001b]8;;http://x\\u0007"]']);
    expect(d.code).toBe(0);
    expectTerminalSafe(d.out);
    expect(d.out).toContain(`desc ${NASTY_SHOWN}`);
  });

  it('a schema file name with ESC is escaped in its error', async () => {
    const link = path('link\x1b[2J.json');
    symlinkSync(path('nowhere.json'), link);
    const r = await run('csm-schema', ['fields', '--schema', link]);
    expect(r.code).toBe(2);
    expectTerminalSafe(r.stderr);
    expect(r.stderr).toContain('link\\x1b[2J.json');
  });
});
