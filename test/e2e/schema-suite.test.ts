/**
 * `csm-validate --schema` and `--ref` through bin/: linear-time patterns, a few
 * JSON-Schema-Test-Suite files with the same verdicts as in process
 * (test/conformance/), and the start-up refusals (exit 2, one line, nothing else).
 */
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/inprocess.js';
import { lines, run } from '../helpers/run.js';
import { runSuiteFile } from '../conformance/suite-runner.js';
import { useTempDir } from './hardening/support.js';

const { tmp, path } = useTempDir('schema-suite');

describe('csm-validate --schema: patterns run in linear time', () => {
  const evil = `${'a'.repeat(30)}!`;

  it('judges "^(a+)+$" against 30 a\'s and a "!" (exponential on a backtracking engine)', async () => {
    const schema = tmp('evil-pattern.json', JSON.stringify({ properties: { s: { type: 'string', pattern: '^(a+)+$' } } }));
    const input = `${JSON.stringify({ s: evil })}\n${JSON.stringify({ s: 'aaaa' })}\n`;
    const r = await run('csm-validate', ['--input', 'ndjson', '--schema', schema, '--error-format', 'json'], { input });
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${JSON.stringify({ s: 'aaaa' })}\n`);
    const report = JSON.parse(r.stderr) as { line: number; errors: { keyword: string; instancePath: string }[] };
    expect(report.line).toBe(1);
    expect(report.errors.map((e) => [e.keyword, e.instancePath])).toEqual([['pattern', '/s']]);
  });

  it('judges a patternProperties key "^(a+)+$" against a 30-a key the same way', async () => {
    const schema = tmp(
      'evil-keys.json',
      JSON.stringify({ patternProperties: { '^(a+)+$': { type: 'integer' } }, additionalProperties: false }),
    );
    const input = `${JSON.stringify({ [evil]: 1 })}\n${JSON.stringify({ aaaa: 1 })}\n`;
    const r = await run('csm-validate', ['--input', 'ndjson', '--schema', schema, '--error-format', 'json'], { input });
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${JSON.stringify({ aaaa: 1 })}\n`);
    expect(JSON.parse(r.stderr)).toMatchObject({ line: 1, errors: [{ keyword: 'additionalProperties' }] });
  });

  it('refuses at start-up a pattern RE2 cannot run, naming it and where it is', async () => {
    const schema = tmp('backref.json', JSON.stringify({ properties: { s: { pattern: '^(a)\\1$' } } }));
    const r = await run('csm-validate', ['--schema', schema], { input: '{}\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `csm-validate: schema ${schema}: #/properties/s/pattern: pattern "^(a)\\\\1$" uses a backreference (\\1), which the linear-time engine cannot run\n`,
    );
  });
});

describe('csm-validate --schema on JSON-Schema-Test-Suite files, through bin/', () => {
  it.each([
    ['draft2020-12', 'boolean_schema.json'],
    ['draft7', 'refRemote.json'],
  ] as const)('%s %s: the same verdicts as in process, all passing', async (draft, file) => {
    const viaBin = await runSuiteFile(draft, file, (args, input) => run('csm-validate', args, { input }), path('bin'));
    const inProcess = await runSuiteFile(draft, file, (args, input) => runMain('csm-validate', args, { input }), path('main'));
    expect(viaBin).toEqual(inProcess);
    expect(viaBin.filter((r) => !r.passed)).toEqual([]);
  }, 120_000);
});

describe('csm-validate --schema: what it refuses at start-up', () => {
  it.each<[string, unknown, RegExp]>([
    ['an unknown format', { properties: { a: { format: 'colour' } } }, /: #\/properties\/a\/format: unknown format "colour" \(csm-validate checks .*idn-hostname.*\)$/],
    ['a $dynamicAnchor outside a resource root beside a $dynamicRef', { $defs: { a: { $dynamicAnchor: 'x' } }, items: { $dynamicRef: '#x' } }, /: #\/\$defs\/a\/\$dynamicAnchor: \$dynamicAnchor is supported only at the root/],
    ['unevaluatedItems beside contains (2020-12)', { contains: { type: 'string' }, unevaluatedItems: false }, /: #\/unevaluatedItems: unevaluatedItems is not judged correctly beside "contains"/],
  ])('%s: exit 2, one line naming where, no warning', async (_name, schema, pattern) => {
    const file = tmp(`refused-${Math.random()}.json`, JSON.stringify(schema));
    const r = await run('csm-validate', ['--schema', file, '--error-format', 'json'], { input: '{}\n' });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(new RegExp(`^csm-validate: schema ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${pattern.source}`));
  });

  it('accepts a boolean schema file: true lets every line through, false none', async () => {
    const input = '{}\n1\n';
    const yes = await run('csm-validate', ['--schema', tmp('true.json', 'true')], { input });
    expect([yes.code, yes.out, yes.stderr]).toEqual([0, input, '']);
    const no = await run('csm-validate', ['--schema', tmp('false.json', 'false'), '-q'], { input });
    expect(no.code).toBe(1);
    expect(lines(no.stderr)).toHaveLength(2);
  });
});

describe('csm-validate --ref', () => {
  it('loads a schema a $ref names, by its $id and by URI=FILE, also in --jobs workers', async () => {
    const byId = tmp('by-id.json', JSON.stringify({ $id: 'https://example.com/port.json', type: 'integer', maximum: 65535 }));
    const byUri = tmp('by-uri.json', JSON.stringify({ type: 'string', minLength: 1 }));
    const main = tmp(
      'main-ref.json',
      JSON.stringify({
        properties: { port: { $ref: 'https://example.com/port.json' }, host: { $ref: 'urn:example:host' } },
      }),
    );
    const input = '{"port":80,"host":"a"}\n{"port":70000,"host":""}\n';
    for (const extra of [[], ['--jobs', '2']]) {
      const r = await run('csm-validate', ['--schema', main, '--ref', byId, '--ref', `urn:example:host=${byUri}`, '-q', ...extra], { input });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('<stdin>:2:');
      expect(r.stderr).toContain('/port:');
      expect(r.stderr).toContain('/host:');
      expect(lines(r.stderr)).toHaveLength(2);
    }
  });

  it('serves csm-filter --validate too', async () => {
    const port = tmp('filter-port.json', JSON.stringify({ type: 'integer', maximum: 65535 }));
    const main = tmp('filter-main.json', JSON.stringify({ properties: { port: { $ref: 'https://example.com/p.json' } } }));
    const input = '{"port":80}\n{"port":70000}\n';
    const r = await run('csm-filter', ['--validate', '--no-schema-check', '--schema', main, '--ref', `https://example.com/p.json=${port}`], { input });
    expect(r.out).toBe('{"port":80}\n');
    expect(r.stderr).toContain('<stdin>:2:');
  });

  it('says which schema a $ref could not find, and that a file without $id needs URI=FILE', async () => {
    const main = tmp('main-missing.json', JSON.stringify({ $ref: 'https://example.com/none.json' }));
    const missing = await run('csm-validate', ['--schema', main], { input: '{}\n' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/can't resolve reference https:\/\/example\.com\/none\.json/);
    const noId = tmp('no-id.json', '{"type":"integer"}');
    const r = await run('csm-validate', ['--schema', main, '--ref', noId], { input: '{}\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`csm-validate: --ref ${noId}: the schema has no absolute $id to be found by; give the URI its $refs use: --ref URI=${noId}\n`);
  });
});
