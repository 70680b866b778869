/**
 * `--error-format github` through csm-validate and csm-filter (their mains,
 * in-process): GitHub Actions annotations, one per error, with the
 * workflow-command escaping.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/inprocess.js';
import { ROOT, lines } from '../helpers/run.js';

const valid = (await runMain('csm-schema', ['sample', '--kind', 'exec'])).out;
const bad = '{"agent":{"rule_id":"r"},"title":"t","evt":{"name":5}}\n';

describe('--error-format github', () => {
  it('csm-validate: one ::error per error, with file, line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csm-gh-'));
    const file = join(dir, 'a,b:c.ndjson');
    writeFileSync(file, valid + bad + '{"x": \n');
    const r = await runMain('csm-validate', ['-q', '--error-format', 'github', file]);
    expect([r.code, r.out]).toEqual([1, '']);
    const f = file.replace(/:/g, '%3A').replace(/,/g, '%2C');
    expect(lines(r.stderr)).toEqual([
      `::error file=${f},line=2,col=52,title=CSM event (type) [linux-2025-09]::/evt/name: expected string, found integer`,
      `::error file=${f},line=3,col=7,title=CSM event (json)::${lines(
        (await runMain('csm-validate', ['-q', '--error-format', 'text'], { input: '{"x": \n' })).stderr,
      )[0]!.replace(/^<stdin>:1:7: /, '').replace(/ \(json\)$/, '')}`,
    ]);
  });

  it('prints what the README shows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csm-gh-'));
    writeFileSync(join(dir, 'events.ndjson'), bad);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const shown = /^ {6}(::error file=events\.ndjson.*)$/m.exec(readme)![1];
    const r = await runMain('csm-validate', ['--error-format', 'github', 'events.ndjson'], { cwd: dir });
    expect(r.stderr).toBe(`${shown}\n`);
  });

  it('csm-validate: stdin has no file= property; % in a message is escaped', async () => {
    const r = await runMain('csm-validate', ['--error-format', 'github'], { input: '{"agent":{"rule_id":"r"},"title":"t","date":"100%"}\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      '::error line=1,col=45,title=CSM event (format) [linux-2025-09]::/date: expected a date-time string (RFC 3339), found "100%25"\n',
    );
  });

  it('csm-filter: bad lines (and --validate errors) as annotations', async () => {
    const r = await runMain('csm-filter', ['-c', '--validate', '--error-format', 'github'], { input: valid + 'nope\n' + bad });
    expect([r.code, r.out]).toEqual([1, '1\n']);
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(/^::error line=2,col=2,title=CSM event \(json\)::./),
      '::error line=3,col=52,title=CSM event (type) [linux-2025-09]::/evt/name: expected string, found integer',
    ]);
  });

  it('is listed in --help of both tools', async () => {
    for (const tool of ['csm-validate', 'csm-filter'] as const) {
      expect((await runMain(tool, ['--help'])).out).toContain('"github"');
    }
  });
});
