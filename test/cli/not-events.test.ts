/**
 * No silent answers on input that is not events: JSON lines that are not
 * objects are reported by csm-filter (keyword `type`), and a UTF-16 file gets
 * one clear message, not a column of encoding errors.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/inprocess.js';

const EXEC = '{"evt":{"name":"exec"}}';

describe('csm-filter and JSON that is not an object', () => {
  it('reports [1], "x" and null as invalid (type), never counts or prints them, even with -v', async () => {
    const r = await runMain('csm-filter', ['-v', '-k', 'open', '--summary', '--no-progress'], { input: `[1]\n"x"\nnull\n${EXEC}\n` });
    expect(r.code).toBe(1);
    expect(r.out).toBe(`${EXEC}\n`);
    expect(r.stderr).toContain('<stdin>:1:1: (root): expected an object (an event), found an array (type)\n');
    expect(r.stderr).toContain('<stdin>:2:1: (root): expected an object (an event), found a string (type)\n');
    expect(r.stderr).toContain('<stdin>:3:1: (root): expected an object (an event), found null (type)\n');
    expect(r.stderr).toMatch(/^ {2}parsed\s+1$/m);
    expect(r.stderr).toMatch(/^ {2}invalid\s+3$/m);
  });
});

describe('a UTF-16 input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csm-utf16-'));
  const text = `${EXEC}\n`;
  const cases: [string, Buffer, string][] = [
    ['with a BOM (LE)', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'byte order mark FF FE'],
    ['with a BOM (BE)', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]), 'byte order mark FE FF'],
    ['without a BOM (LE)', Buffer.from(text, 'utf16le'), 'a NUL after every character'],
    ['without a BOM (BE)', Buffer.from(text, 'utf16le').swap16(), 'a NUL before every character'],
  ];
  it.each(cases)('%s: one message naming the file, exit 2, the other files still read', async (_name, bytes, sign) => {
    const path = join(dir, `${sign.replace(/\W+/g, '-')}.ndjson`);
    writeFileSync(path, bytes);
    for (const tool of ['csm-validate', 'csm-filter'] as const) {
      const good = join(dir, 'good.ndjson');
      writeFileSync(good, text);
      const r = await runMain(tool, tool === 'csm-filter' ? ['-c', path, good] : ['-q', path, good]);
      expect(r.code).toBe(2);
      const message = `${tool}: cannot read ${path}: is UTF-16 (${sign}), not UTF-8: convert it first, e.g. iconv -f UTF-16 -t UTF-8`;
      expect(r.stderr.split('\n')[0]).toBe(message);
      expect(r.stderr.split(path).length - 1).toBe(1);
      // the other file was read (its own reports, or its count)
      if (tool === 'csm-filter') expect(r.out).toBe('1\n');
      else expect(r.stderr).toContain(`${good}:1:1:`);
    }
  });
});
