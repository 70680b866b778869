/**
 * The accounting invariant of csm-validate, as a fast-check property over whole
 * runs (of main in-process; of the real executable with --jobs, whose worker
 * threads need it):
 *
 *   stdout + --invalid-out = every non-blank input line, exactly once, in input
 *   order, byte for byte (line ends aside); --summary: read = valid + invalid + blank.
 *
 * Each generated line carries a unique marker, so the two outputs can be merged
 * back and checked for order. Lines whose verdict is certain (an intact example
 * event, a truncated object...) must also land on the right side; random bytes
 * may land on either. One run feeds several streams at once (files, one of them
 * maybe stdin), which is also how the tool is used.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { expect } from 'vitest';
import { runMain } from '../../helpers/inprocess.js';
import { run } from '../../helpers/run.js';
import { EXAMPLE_LINES, markedValid, modelLines, outputRecords, parseSummary, expectNoStackTrace } from './support.js';

type Verdict = 'valid' | 'invalid' | 'either';

/** Things put into the title string of an example event, with the verdict they lead to. */
const INJECTIONS: [string, Buffer, Verdict][] = [
  ['raw NUL', Buffer.from([0x00]), 'invalid'],
  ['raw U+001F', Buffer.from([0x1f]), 'invalid'],
  ['overlong C0 AF', Buffer.from([0xc0, 0xaf]), 'invalid'],
  ['truncated E2 82', Buffer.from([0xe2, 0x82]), 'invalid'],
  ['encoded surrogate ED A0 80', Buffer.from([0xed, 0xa0, 0x80]), 'invalid'],
  ['byte F5', Buffer.from([0xf5]), 'invalid'],
  ['byte FF', Buffer.from([0xff]), 'invalid'],
  ['stray continuation 80', Buffer.from([0x80]), 'invalid'],
  ['bad escape \\x', Buffer.from('\\x'), 'invalid'],
  ['escaped NUL', Buffer.from('\\u0000'), 'valid'],
  ['lone surrogate escape', Buffer.from('\\ud800'), 'valid'],
  ['reversed surrogate escapes', Buffer.from('\\udc00\\ud800'), 'valid'],
  ['raw U+2028', Buffer.from('\u2028'), 'valid'],
  ['raw U+FFFD', Buffer.from('\uFFFD'), 'valid'],
  ['raw U+1F600', Buffer.from('\u{1F600}'), 'valid'],
  ['raw DEL', Buffer.from([0x7f]), 'valid'],
  ['raw CR', Buffer.from([0x0d]), 'invalid'],
];

export type LineSpec =
  | { t: 'valid'; base: number; lead: string; trail: string }
  | { t: 'big'; base: number; pad: number }
  | { t: 'truncated'; base: number; cut: number }
  | { t: 'nonObject'; form: number }
  | { t: 'inject'; base: number; what: number }
  | { t: 'bomPrefix'; base: number }
  | { t: 'random'; bytes: number[]; at: number }
  | { t: 'blank'; ws: string }
  | { t: 'nearBlank'; what: number };

export interface StreamSpec {
  bom: boolean;
  lines: { spec: LineSpec; crlf: boolean }[];
  finalNewline: boolean;
}

export interface RunSpec {
  streams: StreamSpec[];
  /** Index of the stream given as `-` (stdin), if any. */
  stdin: number | null;
}

export interface GzipSpec {
  level: number;
  /** Where to cut the stream into two gzip members (a fraction of its length), if at all. */
  split: number | null;
}

/** Not blank, though close: whitespace and one byte that JSON and the README do not count as blank. */
const NEAR_BLANK: Buffer[] = [[0x00], [0x0c], [0x0b], [0xc2, 0xa0], [0xef, 0xbb, 0xbf], [0x85], [0x1c]].map((b) => Buffer.from(b));

const ws = (chars: string, maxLength: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...chars.split('')), { maxLength }).map((a) => a.join(''));
const base = fc.integer({ min: 0, max: EXAMPLE_LINES.length - 1 });

const lineSpec: fc.Arbitrary<LineSpec> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('valid' as const), base, lead: ws(' \t', 2), trail: ws(' \t\r', 2) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('big' as const), base, pad: fc.integer({ min: 1, max: 300_000 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('truncated' as const), base, cut: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('nonObject' as const), form: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('inject' as const), base, what: fc.integer({ min: 0, max: INJECTIONS.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('bomPrefix' as const), base }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('random' as const),
      bytes: fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x00, 0x0d, 0x20, 0x7b, 0x7d, 0x22, 0xef, 0xbb, 0xbf, 0xc0, 0xed, 0xff)), { maxLength: 40 }).map((a) => a.filter((b) => b !== 0x0a)),
      at: fc.nat(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('blank' as const), ws: ws(' \t\r', 4) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('nearBlank' as const), what: fc.integer({ min: 0, max: NEAR_BLANK.length - 1 }) }) },
);

const streamSpec: fc.Arbitrary<StreamSpec> = fc.record({
  bom: fc.boolean(),
  lines: fc.array(fc.record({ spec: lineSpec, crlf: fc.boolean() }), { maxLength: 12 }),
  finalNewline: fc.boolean(),
});

export const runSpec: fc.Arbitrary<RunSpec> = fc
  .array(streamSpec, { minLength: 1, maxLength: 3 })
  .chain((streams) =>
    fc.record({ streams: fc.constant(streams), stdin: fc.option(fc.integer({ min: 0, max: streams.length - 1 }), { nil: null }) }),
  );

export const gzipSpec: fc.Arbitrary<GzipSpec> = fc.record({
  level: fc.constantFrom(0, 1, 6, 9),
  split: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
});

/** One line's bytes (without terminator) and its certain verdict, if any. */
function materialise(spec: LineSpec, marker: string, id: number, firstOfBomlessStream: boolean): { bytes: Buffer; verdict: Verdict | 'blank' } {
  const ex = (i: number): string => markedValid(marker, EXAMPLE_LINES[i]);
  switch (spec.t) {
    case 'valid':
      return { bytes: Buffer.from(spec.lead + ex(spec.base) + spec.trail), verdict: 'valid' };
    case 'big':
      return { bytes: Buffer.from(markedValid(marker + 'x'.repeat(spec.pad), EXAMPLE_LINES[spec.base])), verdict: 'valid' };
    case 'truncated': {
      // Any strict prefix of an object text that keeps the marker is not JSON.
      const text = ex(spec.base);
      const min = text.indexOf(marker) + marker.length;
      const cut = min + Math.floor(spec.cut * (text.length - 1 - min));
      return { bytes: Buffer.from(text.slice(0, cut)), verdict: 'invalid' };
    }
    case 'nonObject':
      return { bytes: Buffer.from([`["${marker}"]`, `"${marker}"`, `{"title":"${marker}"}`, `[1,{"a":"${marker}"},null]`][spec.form]!), verdict: 'invalid' };
    case 'inject': {
      const [, bytes, verdict] = INJECTIONS[spec.what]!;
      const text = ex(spec.base);
      const at = text.indexOf(marker) + marker.length;
      return { bytes: Buffer.concat([Buffer.from(text.slice(0, at)), bytes, Buffer.from(text.slice(at))]), verdict };
    }
    case 'bomPrefix':
      // A BOM is only dropped at the very start of a stream; elsewhere it is data (not JSON whitespace).
      return { bytes: Buffer.from(`\uFEFF${ex(spec.base)}`), verdict: firstOfBomlessStream ? 'valid' : 'invalid' };
    case 'random': {
      const at = spec.at % (spec.bytes.length + 1);
      const bytes = Buffer.concat([Buffer.from(spec.bytes.slice(0, at)), Buffer.from(marker), Buffer.from(spec.bytes.slice(at))]);
      return { bytes, verdict: 'either' };
    }
    case 'blank':
      return { bytes: Buffer.from(spec.ws), verdict: 'blank' };
    case 'nearBlank': {
      // No printable marker: the line's id is written in binary as spaces and tabs
      // (never empty, so a BOM here is never at the start of the stream).
      const code = (id + 1).toString(2).replace(/0/g, ' ').replace(/1/g, '\t');
      return { bytes: Buffer.concat([Buffer.from(code), NEAR_BLANK[spec.what]!]), verdict: 'invalid' };
    }
  }
}

export interface Expected {
  file: string;
  line: number;
  bytes: Buffer;
  verdict: Verdict;
}

/** The bytes of each stream and the non-blank lines they must yield, in order. */
export function buildStreams(spec: RunSpec): { streams: Buffer[]; verdicts: Map<string, Verdict>[] } {
  const streams: Buffer[] = [];
  const verdicts: Map<string, Verdict>[] = [];
  spec.streams.forEach((s, si) => {
    const parts: Buffer[] = [];
    const byMarker = new Map<string, Verdict>();
    if (s.bom) parts.push(Buffer.from([0xef, 0xbb, 0xbf]));
    s.lines.forEach(({ spec: ls, crlf }, li) => {
      const marker = `<${si}.${li}>`;
      const { bytes, verdict } = materialise(ls, marker, si * 1000 + li, li === 0 && !s.bom);
      parts.push(bytes);
      if (verdict !== 'blank') byMarker.set(ls.t === 'nearBlank' ? bytes.toString('latin1') : marker, verdict);
      const last = li === s.lines.length - 1;
      if (!last || s.finalNewline) parts.push(Buffer.from(crlf ? '\r\n' : '\n'));
    });
    streams.push(Buffer.concat(parts));
    verdicts.push(byMarker);
  });
  return { streams, verdicts };
}

export function gzipStream(stream: Buffer, g: GzipSpec): Buffer {
  if (g.split === null) return gzipSync(stream, { level: g.level });
  const at = Math.floor(g.split * stream.length);
  return Buffer.concat([gzipSync(stream.subarray(0, at), { level: g.level }), gzipSync(stream.subarray(at), { level: g.level })]);
}

interface JsonReport {
  file: string;
  line: number;
  errors: { keyword: string }[];
}

/**
 * Runs csm-validate once over the streams (as files, one maybe as stdin; each
 * file's bytes are `encode`d first, e.g. gzipped) and checks the invariant.
 */
export async function checkAccounting(
  dir: string,
  spec: RunSpec,
  encode: (stream: Buffer, i: number) => Buffer,
  extraArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<void> {
  const runDir = join(dir, `run-${Math.random().toString(36).slice(2)}`);
  mkdirSync(runDir);
  try {
    const { streams, verdicts } = buildStreams(spec);
    const names: string[] = [];
    const args: string[] = [];
    let input: Buffer | undefined;
    streams.forEach((s, i) => {
      const bytes = encode(s, i);
      if (spec.stdin === i) {
        input = bytes;
        names.push('<stdin>');
        args.push('-');
      } else {
        const path = join(runDir, `s${i}.ndjson`);
        writeFileSync(path, bytes);
        names.push(path);
        args.push(path);
      }
    });
    // The model: what every stream must yield.
    const expected: Expected[] = [];
    let read = 0;
    let blank = 0;
    streams.forEach((s, i) => {
      for (const l of modelLines(s)) {
        read += 1;
        if (l.blank) {
          blank += 1;
          continue;
        }
        const text = l.bytes.toString('latin1');
        const key = /<\d+\.\d+>/.exec(text)?.[0] ?? text;
        const verdict = verdicts[i]!.get(key);
        expect(verdict, `every non-blank line is a generated one: ${JSON.stringify(text)}`).toBeDefined();
        expected.push({ file: names[i]!, line: l.line, bytes: l.bytes, verdict: verdict! });
      }
    });
    const index = new Map<string, number>();
    expected.forEach((e, i) => index.set(e.bytes.toString('latin1'), i));
    expect(index.size, 'generated lines are unique').toBe(expected.length);

    const invalidPath = join(runDir, 'invalid.ndjson');
    const errorsPath = join(runDir, 'errors.ndjson');
    const runner = extraArgs.includes('--jobs') ? run : runMain;
    const r = await runner('csm-validate', ['--summary', '--error-format', 'json', '--errors', errorsPath, '--invalid-out', invalidPath, ...extraArgs, ...args], { input, env });

    const where = (records: Buffer[], what: string): number[] =>
      records.map((rec) => {
        const i = index.get(rec.toString('latin1'));
        expect(i, `${what} line is an input line, byte for byte: ${JSON.stringify(rec.toString('latin1').slice(0, 200))}`).toBeDefined();
        return i!;
      });
    const valid = where(outputRecords(r.stdout), 'stdout');
    const invalid = where(outputRecords(readFileSync(invalidPath)), '--invalid-out');
    const increasing = (xs: number[]): boolean => xs.every((x, k) => k === 0 || xs[k - 1]! < x);
    expect(increasing(valid), 'stdout keeps input order').toBe(true);
    expect(increasing(invalid), '--invalid-out keeps input order').toBe(true);
    expect([...valid, ...invalid].sort((a, b) => a - b), 'every non-blank line exactly once').toEqual(expected.map((_, i) => i));
    for (const i of valid) expect(expected[i]!.verdict, `valid: ${expected[i]!.bytes.toString('latin1').slice(0, 120)}`).not.toBe('invalid');
    for (const i of invalid) expect(expected[i]!.verdict, `invalid: ${expected[i]!.bytes.toString('latin1').slice(0, 120)}`).not.toBe('valid');

    // One report per invalid line, naming its file and line, in the same order.
    const reports = readFileSync(errorsPath, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as JsonReport);
    expect(reports.map((x) => `${x.file}:${x.line}`)).toEqual(invalid.map((i) => `${expected[i]!.file}:${expected[i]!.line}`));
    for (const x of reports) expect(x.errors.length).toBeGreaterThan(0);

    const summary = parseSummary(r.stderr);
    expect(summary.read).toBe(summary.valid + summary.invalid + summary.blank);
    expect({ read: summary.read, valid: summary.valid, invalid: summary.invalid, blank: summary.blank }).toEqual({ read, valid: valid.length, invalid: invalid.length, blank });
    expect(r.stderr.startsWith('csm-validate: summary\n'), r.stderr).toBe(true);
    expectNoStackTrace(r.stderr);
    expect(r.code).toBe(invalid.length > 0 ? 1 : 0);
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

/** A plain stream that starts with the gzip magic would be read as gzip: keep it out of the plain property. */
export function startsLikeGzip(spec: RunSpec): boolean {
  return buildStreams(spec).streams.some((s) => s[0] === 0x1f && s[1] === 0x8b);
}
