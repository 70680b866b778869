import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Endpoint, canonicalPath, findClash, pathEndpoint } from '../../src/io/same-file.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'csm-same-file-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'sub'));
writeFileSync(join(dir, 'real.ndjson'), 'x\n');

describe('canonicalPath: one name per file, existing or not', () => {
  it('removes . and .. from a file that does not exist yet', () => {
    expect(canonicalPath(`${dir}/sub/.././new.ndjson`)).toBe(join(dir, 'new.ndjson'));
  });

  it('follows a symlink to an existing file', () => {
    symlinkSync(join(dir, 'real.ndjson'), join(dir, 'to-real'));
    expect(canonicalPath(join(dir, 'to-real'))).toBe(join(dir, 'real.ndjson'));
  });

  it('follows a dangling symlink (relative, through another link) to the file it would create', () => {
    symlinkSync('sub/../target.ndjson', join(dir, 'dangling'));
    symlinkSync('dangling', join(dir, 'dangling2'));
    expect(canonicalPath(join(dir, 'dangling2'))).toBe(join(dir, 'target.ndjson'));
  });

  it('ends on a symlink loop instead of running forever', () => {
    symlinkSync('loop-b', join(dir, 'loop-a'));
    symlinkSync('loop-a', join(dir, 'loop-b'));
    expect(typeof canonicalPath(join(dir, 'loop-a'))).toBe('string');
  });
});

describe('findClash: an output that is an input, or another output', () => {
  const out = (label: string, path: string, flag = label.split(' ')[0]!): Endpoint => pathEndpoint(label, 'output', path, flag);

  it('finds an output file that is an input, by device and inode', () => {
    const clash = findClash([pathEndpoint('real.ndjson', 'input', join(dir, 'real.ndjson')), out('--errors to-real', join(dir, 'to-real'))]);
    expect(clash).toBe('--errors to-real is the input real.ndjson: refusing to overwrite it');
  });

  it('finds two spellings of one new file', () => {
    const clash = findClash([out('--invalid-out a', join(dir, 'new.ndjson')), out('--errors b', `${dir}/sub/../new.ndjson`)]);
    expect(clash).toBe('--errors b is also given to --invalid-out');
  });

  it('lets stdout and stderr share one file, but not an output file with either', () => {
    const id = { dev: 1, ino: 2 };
    const stdout: Endpoint = { label: 'stdout', role: 'output', id, standard: true };
    const stderr: Endpoint = { label: 'stderr', role: 'output', id, standard: true };
    expect(findClash([stdout, stderr])).toBeUndefined();
    const file: Endpoint = { label: '--errors x', flag: '--errors', role: 'output', id };
    expect(findClash([stdout, stderr, file])).toBe('--errors x is the file stdout goes to: refusing to let one overwrite the other');
  });

  it('says stdout would be read back when it is an input', () => {
    const id = { dev: 1, ino: 3 };
    expect(findClash([{ label: 'x', role: 'input', id }, { label: 'stdout', role: 'output', id, standard: true }])).toBe(
      'stdout is the input x: refusing to read what this run writes (it would never end)',
    );
  });

  it('finds nothing among different files', () => {
    expect(findClash([pathEndpoint('real.ndjson', 'input', join(dir, 'real.ndjson')), out('--errors e', join(dir, 'e.txt'))])).toBeUndefined();
  });
});
