/**
 * csm-schema through its main, in-process: fields, describe, kinds, show and
 * sample (each sample checked by csm-validate and csm-filter), and the
 * conventions it shares with the other tools (--schema, --help, exit codes).
 * What needs a real process (| head) is in test/e2e/schema.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, test } from 'vitest';
import { KIND_NAMES } from '../../src/core/kinds.js';
import { buildSchemaIndex, listPaths } from '../../src/core/schema-index.js';
import { bundledSchemaNamed } from '../../src/io/catalog.js';
import { runMain } from '../helpers/inprocess.js';
import { ROOT, lines } from '../helpers/run.js';

const SCHEMA_FILE = `${ROOT}schema/backend_linux.schema.json`;
/** What csm-schema reads without --schema: the newest Linux schema (the one csm-filter checks paths against). */
const NEWEST_FILE = `${ROOT}schema/backend_linux.2025-09-04.schema.json`;
const schema = (args: string[], input?: string) => runMain('csm-schema', args, input === undefined ? {} : { input });
const allPaths = listPaths(buildSchemaIndex(bundledSchemaNamed('linux-2025-09'))).map((p) => p.path);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'csm-schema-'));
});

describe('csm-schema fields', () => {
  it('lists every addressable path, in the syntax csm-filter takes, with type and description', async () => {
    const r = await schema(['fields', '--format', 'tsv', '--no-header']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const rows = lines(r.out).map((l) => l.split('\t'));
    expect(rows.map((row) => row[0])).toEqual(allPaths);
    expect(rows).toContainEqual(['process.exec_time', 'string', 'date-time', 'Exec time of the process']);
    expect(rows).toContainEqual(['process.args', 'string[]', '', 'Command line arguments']);
    expect(rows).toContainEqual(['mount["mountpoint.path"]', 'string', '', 'Mount point path']);
    expect(rows).toContainEqual(['process.ancestors[*].executable.path', 'string', '', 'File path']);
  });

  it('every listed path is accepted by csm-filter --field', async () => {
    const sample = ['process.ancestors[*].executable.path', 'mount["mountpoint.path"]', 'evt.matched_rules[*].tags'];
    const r = await runMain('csm-filter', ['-c', ...sample.flatMap((p) => ['-f', p])], { input: '' });
    expect([r.code, r.stderr]).toEqual([0, '']);
  });

  it('text: aligned columns under a header, format in the type column; PREFIX filters', async () => {
    const r = await schema(['fields', 'process.exec_t']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('PATH               TYPE                DESCRIPTION\nprocess.exec_time  string (date-time)  Exec time of the process\n');
  });

  it('PREFIX also matches the dotted spelling of keys with dots', async () => {
    const r = await schema(['fields', 'mount.mountpoint', '--format', 'tsv', '--no-header']);
    expect(lines(r.out).map((l) => l.split('\t')[0])).toEqual(['mount["mountpoint.path"]', 'mount["mountpoint.path_error"]']);
  });

  it('json: one object per path', async () => {
    const r = await schema(['fields', 'process.credentials.auid', '--format', 'json']);
    expect(lines(r.out).map((l) => JSON.parse(l))).toEqual([
      { path: 'process.credentials.auid', type: 'integer', description: 'Login UID' },
    ]);
  });

  it('a prefix that matches nothing prints only the header', async () => {
    const r = await schema(['fields', 'nope']);
    expect([r.code, r.out]).toEqual([0, 'PATH  TYPE  DESCRIPTION\n']);
  });

  it('--color always colours the text table; stdout is plain otherwise', async () => {
    expect((await schema(['fields', 'date', '--color', 'always'])).out).toContain('\u001b[');
    expect((await schema(['fields', 'date'])).out).not.toContain('\u001b[');
  });
  it('prints what the README shows', async () => {
    const readme = readFileSync(`${ROOT}README.md`, 'utf8');
    const shown = readme.slice(readme.indexOf('    $ csm-schema fields process.credentials.e\n')).split('\n').slice(1);
    const block = shown.slice(0, shown.findIndex((l) => l.startsWith('    $'))).map((l) => l.slice(4));
    expect((await schema(['fields', 'process.credentials.e'])).out).toBe(block.join('\n') + '\n');
  });
});

describe('csm-schema describe', () => {
  it('shows type, description, the $defs that defines it, where else it occurs, and children', async () => {
    const r = await schema(['describe', 'process.executable']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.out).toContain('process.executable\n');
    expect(r.out).toMatch(/^ {2}type {9}object \(\$defs\/File\)$/m);
    expect(r.out).toMatch(/^ {2}description {2}File information of the executable$/m);
    expect(r.out).toMatch(/^ {2}defined in {3}\$defs\/ProcessContext, key "executable"$/m);
    expect(r.out).toMatch(/^ {2}required {5}uid, gid$/m);
    expect(r.out).toContain('signal.target.executable');
    expect(r.out).toMatch(/^ {4}process\.executable\.change_time +string \(date-time\) +File change time$/m);
  });

  it('json, for keys with dots and array elements', async () => {
    const r = await schema(['describe', 'mount.mountpoint.path', '--format', 'json']);
    expect(JSON.parse(r.out)).toEqual({
      path: 'mount["mountpoint.path"]',
      type: 'string',
      description: 'Mount point path',
      definedIn: '$defs/MountEvent, key "mountpoint.path"',
      freeForm: false,
      alsoAt: [],
      children: [],
    });
    const el = JSON.parse((await schema(['describe', 'process.ancestors[*]', '--format', 'json'])).out);
    expect(el).toMatchObject({ path: 'process.ancestors[*]', type: 'object', schema: '$defs/Process', definedIn: 'element of process.ancestors' });
    const extra = JSON.parse((await schema(['describe', 'process.user_session.k8s_extra', '--format', 'json'])).out);
    expect(extra).toMatchObject({ type: 'object', freeForm: true, values: 'string[]' });
    const args = JSON.parse((await schema(['describe', 'process.args', '--format', 'json'])).out);
    expect(args).toMatchObject({ type: 'string[]', definedIn: '$defs/ProcessContext, key "args"' });
  });

  it('an unknown path is exit 2 with a did-you-mean, as in csm-filter', async () => {
    const r = await schema(['describe', 'process.arg']);
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.stderr).toBe("csm-schema: unknown field 'process.arg' — did you mean 'process.args'?\n");
    const f = await runMain('csm-filter', ['-f', 'process.arg'], { input: '' });
    expect(f.stderr).toContain("unknown field 'process.arg' — did you mean 'process.args'?");
  });

  it('a malformed path is exit 2, naming it', async () => {
    const r = await schema(['describe', 'process.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("csm-schema: process.: expected a field name after '.', found end of path\n");
  });

  it('describe without a path is a usage error', async () => {
    const r = await schema(['describe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("csm-schema: missing required argument 'PATH' (see --help)\n");
  });
});

describe('csm-schema kinds', () => {
  it('lists every kind with its category and sections', async () => {
    const r = await schema(['kinds', '--format', 'tsv']);
    expect(r.code).toBe(0);
    const rows = lines(r.out).map((l) => l.split('\t'));
    expect(rows[0]).toEqual(['kind', 'category', 'sections', 'description']);
    expect(rows.slice(1).map((row) => row[0])).toEqual(KIND_NAMES);
    expect(rows).toContainEqual(expect.arrayContaining(['exec', 'Process Activity', 'process,file']));
    expect(rows).toContainEqual(expect.arrayContaining(['dns', 'Network Activity', 'network,dns']));
    const json = lines((await schema(['kinds', '--format', 'json'])).out).map((l) => JSON.parse(l));
    expect(json.find((k) => k.kind === 'open')).toMatchObject({ category: 'File Activity', sections: ['file', 'syscall'] });
  });

  it('text has aligned columns', async () => {
    const out = lines((await schema(['kinds'])).out);
    expect(out[0]).toMatch(/^KIND +CATEGORY +SECTIONS +DESCRIPTION$/);
    expect(out.find((l) => l.startsWith('exec '))).toMatch(/^exec +Process Activity +process, file +a process executed/);
  });
});

describe('csm-schema show', () => {
  it('prints the newest Linux schema byte for byte, and a bundled one by name', async () => {
    const r = await schema(['show']);
    expect(r.code).toBe(0);
    expect(r.stdout.equals(readFileSync(NEWEST_FILE))).toBe(true);
    const seed = await schema(['show', '--schema', 'linux-2024-08']);
    expect(seed.stdout.equals(readFileSync(SCHEMA_FILE))).toBe(true);
  });

  it('prints a --schema file byte for byte', async () => {
    const file = join(dir, 'mine.json');
    const bytes = '{ "type": "object",\r\n  "properties": {"x": {"type": "string"}} }\n';
    writeFileSync(file, bytes);
    const r = await schema(['show', '--schema', file]);
    expect([r.code, r.out]).toEqual([0, bytes]);
  });
});

describe('csm-schema sample', () => {
  let all: string[];
  let validated: Awaited<ReturnType<typeof runMain>>;

  beforeAll(async () => {
    const r = await schema(['sample']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    all = lines(r.out);
    validated = await runMain('csm-validate', ['--error-format', 'json'], { input: r.out });
  });

  it('without --kind prints one event per known kind, in table order', () => {
    expect(all.map((l) => JSON.parse(l).evt.name)).toEqual(KIND_NAMES);
  });

  it('every sample passes csm-validate', () => {
    expect([validated.code, validated.stderr]).toEqual([0, '']);
    expect(validated.out).toBe(all.join('\n') + '\n');
  });

  test.concurrent.for(KIND_NAMES)('%s: its sample is valid and csm-filter --kind counts exactly it', async (kind, { expect }) => {
    const line = all[KIND_NAMES.indexOf(kind)]!;
    expect(lines(validated.out)).toContain(line);
    const one = await runMain('csm-filter', ['--kind', kind, '-c'], { input: all.join('\n') + '\n' });
    expect([one.code, one.out, one.stderr]).toEqual([0, '1\n', '']);
  });

  it('--kind picks kinds (comma list, repeatable): the same events, deterministic', async () => {
    const r = await schema(['sample', '--kind', 'exec,dns', '-k', 'mount']);
    expect(r.code).toBe(0);
    expect(lines(r.out)).toEqual(['exec', 'dns', 'mount'].map((k) => all[KIND_NAMES.indexOf(k)]));
  });

  it('an unknown kind is exit 2 with a suggestion', async () => {
    const r = await schema(['sample', '--kind', 'exex']);
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.stderr).toBe("csm-schema: --kind: unknown kind 'exex' — did you mean 'exec'? (csm-schema kinds lists them)\n");
  });
});

describe('csm-schema: conventions shared with the other tools', () => {
  it('--schema errors are those of csm-validate, exit 2', async () => {
    const missing = join(dir, 'missing.json');
    const notJson = join(dir, 'bad.json');
    writeFileSync(notJson, '{ nope');
    for (const file of [missing, notJson]) {
      const s = await schema(['fields', '--schema', file]);
      const v = await runMain('csm-validate', ['--schema', file], { input: '' });
      expect(s.code).toBe(2);
      expect(s.stderr.replace('csm-schema', 'csm-validate')).toBe(v.stderr);
    }
  });

  it('fields and describe read a --schema file', async () => {
    const file = join(dir, 'small.json');
    writeFileSync(file, JSON.stringify({ $defs: { T: { type: 'object', properties: { n: { type: 'integer', description: 'N' } } } }, properties: { t: { $ref: '#/$defs/T' } } }));
    expect((await schema(['fields', '--schema', file, '--format', 'tsv', '--no-header'])).out).toBe('t\tobject\t\t\nt.n\tinteger\t\tN\n');
    expect(JSON.parse((await schema(['describe', 't.n', '--schema', file, '--format', 'json'])).out).definedIn).toBe('$defs/T, key "n"');
  });

  it('--help shows the commands and at least three examples; --version the version', async () => {
    const h = await schema(['--help']);
    expect(h.code).toBe(0);
    for (const c of ['fields', 'describe', 'kinds', 'show', 'sample', 'completion']) expect(h.out).toContain(`  ${c} `);
    const examples = h.out.slice(h.out.indexOf('Examples:')).split('\n').filter((l) => l.startsWith('  csm-schema'));
    expect(examples.length).toBeGreaterThanOrEqual(3);
    const sub = await schema(['fields', '--help']);
    expect([sub.code, sub.out.split('\n')[0]]).toEqual([0, 'Usage: csm-schema fields [options] [PREFIX]']);
    const v = await schema(['--version']);
    expect([v.code, v.out]).toEqual([0, `${JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).version}\n`]);
  });

  it.each([
    [[], 'csm-schema: expected a command: fields, describe, kinds, secl, show, sample, versions, diff, completion (see --help)\n'],
    [['fieldz'], "csm-schema: unknown command 'fieldz' — did you mean 'fields'? (see --help)\n"],
    [['fields', '--bogus'], "csm-schema: unknown option '--bogus' (see --help)\n"],
    [['fields', '--format', 'xml'], "csm-schema: option '--format <FORMAT>' argument 'xml' is invalid. Allowed choices are text, tsv, json. (see --help)\n"],
  ])('usage error %j: one line, exit 2', async (args, message) => {
    const r = await schema(args);
    expect([r.code, r.out, r.stderr]).toEqual([2, '', message]);
  });
});
