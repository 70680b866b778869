/**
 * csm-validate with the byte-level fast path on (the default) and off
 * (`CSM_FASTCHECK=0`): the same stdout, error report, summary and exit status,
 * on the examples and on generated events (valid, mutated, invalid), for
 * `--schema auto` and each bundled schema.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventLine } from '../../fuzz/fastcheck-model.mjs';
import { runMain } from '../helpers/inprocess.js';
import { ROOT } from '../helpers/run.js';
import { bundledSchemaNamed, judgeFor, readCatalog } from '../../src/io/catalog.js';
import { fastCheckOf } from '../../src/core/fastcheck/line.js';

let dir: string;
let input: string;
const saved = process.env.CSM_FASTCHECK;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'csm-fastcheck-'));
  const parts: Uint8Array[] = [readFileSync(join(ROOT, 'examples/events.ndjson')), readFileSync(join(ROOT, 'examples/mixed-agents.ndjson'))];
  const names = readCatalog().schemas.map((s) => s.name);
  for (let seed = 1; seed <= 90; seed++) {
    const name = names[seed % names.length]!;
    const os = name.startsWith('windows') ? 'windows' : 'linux';
    const line = eventLine(bundledSchemaNamed(name), seed, (seed % 4) as 0 | 1 | 2 | 3, seed % 2 === 0 ? { os, version: '7.71.0' } : {});
    // A line feed (JSON whitespace the model may put between tokens) would split the event.
    parts.push(line.map((b) => (b === 0x0a ? 0x20 : b)), Buffer.from('\n'));
  }
  input = join(dir, 'mixed.ndjson');
  writeFileSync(input, Buffer.concat(parts));
});

afterEach(() => {
  if (saved === undefined) delete process.env.CSM_FASTCHECK;
  else process.env.CSM_FASTCHECK = saved;
});

async function both(args: string[]) {
  delete process.env.CSM_FASTCHECK;
  const on = await runMain('csm-validate', args);
  process.env.CSM_FASTCHECK = '0';
  const off = await runMain('csm-validate', args);
  return { on, off };
}

/** The summary without what depends on the time taken. */
function untimed(stderr: string): string {
  return stderr.replace(/^ *(seconds|lines\/s|MB\/s) .*$/gm, '');
}

function untimedJson(text: string): unknown {
  return JSON.parse(text, (k, v: unknown) => (/seconds|PerSecond|perSecond|elapsed|mbps|MBps/i.test(k) ? 'T' : v));
}

describe('csm-validate: the fast path changes nothing but the time', () => {
  it('is on by default for the bundled schemas and off with CSM_FASTCHECK=0', () => {
    delete process.env.CSM_FASTCHECK;
    expect(fastCheckOf(judgeFor(undefined))).toBeDefined();
    expect(fastCheckOf(judgeFor('linux-2024-08'))).toBeDefined();
    expect(fastCheckOf(judgeFor(undefined, { allowUnknownKeys: true, ignore: [] }))).toBeUndefined();
    process.env.CSM_FASTCHECK = '0';
    expect(fastCheckOf(judgeFor(undefined))).toBeUndefined();
  });

  it.each([[[]], [['--schema', 'linux-2024-08']], [['--schema', 'linux-2025-09']], [['--schema', 'windows-2024-06']], [['--error-format', 'json']]])(
    'same stdout, errors, summary and exit status (%j)',
    async (extra) => {
      const summary = join(dir, `summary-${extra.join('')}.json`);
      const { on, off } = await both([...extra, '--summary', '--summary-json', `${summary}-on`, input]);
      const summaryOff = `${summary}-off`;
      process.env.CSM_FASTCHECK = '0';
      await runMain('csm-validate', [...extra, '--summary-json', summaryOff, input]);
      expect(on.code).toBe(off.code);
      expect(on.stdout.equals(off.stdout)).toBe(true);
      expect(untimed(on.stderr)).toBe(untimed(off.stderr));
      expect(untimedJson(readFileSync(`${summary}-on`, 'utf8'))).toStrictEqual(untimedJson(readFileSync(summaryOff, 'utf8')));
      expect(on.stdout.length).toBeGreaterThan(0);
      const counts = JSON.parse(readFileSync(summaryOff, 'utf8')) as { valid: number; invalid: number };
      expect(counts.valid).toBeGreaterThan(10);
      expect(counts.invalid).toBeGreaterThan(20);
      expect(on.stderr).toContain('invalid');
    },
  );

  it.each([
    ['--input', 'archive', 'examples/archive.json.gz'],
    ['--input', 'api', 'examples/api.json'],
    ['examples/array.json'],
    ['examples/pretty.json'],
  ])('same output and summary on other input shapes (%s %s %s)', async (...args) => {
    const files = args.map((a) => (a.startsWith('examples/') ? join(ROOT, a) : a));
    const { on, off } = await both(['--summary', ...files]);
    expect(on.code).toBe(off.code);
    expect(on.stdout.equals(off.stdout)).toBe(true);
    expect(untimed(on.stderr)).toBe(untimed(off.stderr));
    expect(on.stdout.length).toBeGreaterThan(0);
  });

  it('same invalid lines out, with a --schema FILE the fast path covers', async () => {
    const file = join(dir, 'schema.json');
    writeFileSync(file, JSON.stringify(bundledSchemaNamed('windows-2024-06')));
    const outOn = join(dir, 'inv-on');
    const outOff = join(dir, 'inv-off');
    delete process.env.CSM_FASTCHECK;
    const on = await runMain('csm-validate', ['-q', '--schema', file, '--invalid-out', outOn, input]);
    process.env.CSM_FASTCHECK = '0';
    const off = await runMain('csm-validate', ['-q', '--schema', file, '--invalid-out', outOff, input]);
    expect(on.code).toBe(off.code);
    expect(on.stderr).toBe(off.stderr);
    expect(readFileSync(outOn).equals(readFileSync(outOff))).toBe(true);
  });
});
