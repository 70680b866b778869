import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Line } from '../../../src/core/lines.js';
import type { InputShape } from '../../../src/core/shapes/detect.js';
import { ShapeReader } from '../../../src/core/shapes/reader.js';
import { objectMembers, rawKey } from '../../../src/core/shapes/scan.js';

interface Read {
  shape: InputShape | undefined;
  lines: Line[];
  failure?: string;
}

function read(text: string | Buffer, shape: InputShape | 'auto' = 'auto', sizes: number[] = [1 << 30], maxLineBytes = 1 << 20): Read {
  const input = typeof text === 'string' ? Buffer.from(text) : text;
  const lines: Line[] = [];
  const r = new ShapeReader({ shape, maxLineBytes });
  const sink = (l: Line): void => {
    lines.push({ ...l, bytes: Buffer.from(l.bytes), ...(l.record ? { record: Buffer.from(l.record) } : {}) });
  };
  for (let i = 0, k = 0; i < input.length; ) {
    const n = sizes[k++ % sizes.length]!;
    r.push(input.subarray(i, i + n), sink);
    i += n;
  }
  r.end(sink);
  const f = r.failure;
  return { shape: r.detected, lines, ...(f ? { failure: `${f.line}:${f.column}: ${f.message}` } : {}) };
}

/** Read whole, byte by byte and in odd chunks: the same every time. */
function readAll(text: string, shape: InputShape | 'auto' = 'auto'): Read {
  const all = [[1 << 30], [1], [5, 2, 11]].map((sizes) => read(text, shape, sizes));
  for (const r of all.slice(1)) expect(r).toEqual(all[0]);
  return all[0]!;
}

const EVENT = '{"evt":{"name":"open"},"file":{"inode":18446744073709551615}}';
const record = (ev: string, host = 'web-1'): string =>
  `{"_id":"AgAAAZ","date":"2024-05-14T09:30:00.000Z","host":"${host}","service":"runtime-security-agent","status":"info","message":"m","attributes":${ev},"tags":["env:prod"]}`;
const apiRecord = (ev: string): string =>
  `{"id":"AQ","type":"log","attributes":{"attributes":${ev},"tags":["env:prod"],"timestamp":"2024-05-14T09:30:00.000Z","host":"web-1"}}`;

describe('ShapeReader: detection from the first value', () => {
  it.each<[string, string, InputShape]>([
    ['bare events, one a line', `${EVENT}\n${EVENT}\n`, 'ndjson'],
    ['archive records, one a line', `${record(EVENT)}\n`, 'archive'],
    ['an API page whose data comes first', `{"data":[${apiRecord(EVENT)}]}`, 'api'],
    ['an API page whose data comes last', `{"meta":{},"data":[${apiRecord(EVENT)}]}`, 'api'],
    ['an array of events', `[${EVENT}]`, 'json'],
    ['an array of events, spaced out', `\n[\n ${EVENT}\n]`, 'json'],
    ['pretty-printed events', JSON.stringify(JSON.parse(EVENT), null, 2), 'json'],
    ['a first line that is not JSON', '{"evt":\n{}\n', 'ndjson'],
    ['a first line that is an array of numbers (a line that is not an event)', '[1]\n{}\n', 'ndjson'],
    ['an empty input', '', 'ndjson'],
    ['only whitespace', ' \n\n', 'ndjson'],
    ['a byte order mark, then an array', `\uFEFF[${EVENT}]`, 'json'],
  ])('%s: %s', (_name, text, shape) => {
    expect(readAll(text).shape).toBe(shape);
  });
});

describe('ShapeReader: the events cut out', () => {
  it('an archive line gives its "attributes", byte for byte, with its record and the column where it starts', () => {
    const line = record(EVENT);
    const { lines } = readAll(`${line}\n`);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.bytes.toString()).toBe(EVENT);
    expect(lines[0]!.record!.toString()).toBe(line);
    expect(lines[0]).toMatchObject({ line: 1, column: line.indexOf('"attributes":') + 14, envelope: 'archive' });
  });

  it('an API record gives its attributes.attributes, located in the file, numbered', () => {
    const text = `{"data":[\n  ${apiRecord('{"a":1}')},\n  ${apiRecord(EVENT)}\n]}`;
    const { lines } = readAll(text);
    expect(lines.map((l) => [l.bytes.toString(), l.line, l.column, l.item, l.envelope])).toEqual([
      ['{"a":1}', 2, 3 + apiRecord('').indexOf('{"attributes":') + 14, 0, 'api'],
      [EVENT, 3, 3 + apiRecord('').indexOf('{"attributes":') + 14, 1, 'api'],
    ]);
  });

  it('a pretty-printed API record gives its event compacted, at the line and column of its first byte', () => {
    // the digits are put in after JSON.stringify, which would round them
    const page = JSON.stringify({ data: [JSON.parse(apiRecord(EVENT.replace('18446744073709551615', '"BIG"')))] }, null, 2).replace('"BIG"', '18446744073709551615');
    const { lines } = readAll(page);
    const at = page.split('\n').findIndex((l) => l.includes('"attributes": {') && l.trim().startsWith('"attributes": {') && l.startsWith('        '));
    expect(lines[0]!.bytes.toString()).toBe(EVENT);
    expect(lines[0]!.line).toBe(at + 1);
    expect(lines[0]!.column).toBe(page.split('\n')[at]!.indexOf('{') + 1);
  });

  it('a line that switches shape is a problem naming it, the others go on', () => {
    const { lines } = readAll(`${record(EVENT)}\n${EVENT}\n${record(EVENT)}\n`);
    expect(lines.map((l) => l.shapeProblem ?? 'ok')).toEqual([
      'ok',
      'not a Datadog log archive record (no "attributes" object): the lines of this archive switch shape (force one with --input)',
      'ok',
    ]);
    const back = readAll(`${EVENT}\n${record(EVENT)}\n`);
    expect(back.lines[1]!.shapeProblem).toMatch(/^a Datadog log archive record, in an input whose first line is a bare event/);
  });

  it('a forced shape is not second-guessed: --input ndjson reads archive records as they are', () => {
    const { shape, lines } = readAll(`${record(EVENT)}\n`, 'ndjson');
    expect(shape).toBe('ndjson');
    expect(lines[0]).toMatchObject({ line: 1, offset: 0 });
    expect(lines[0]!.shapeProblem).toBeUndefined();
    expect(lines[0]!.bytes.toString()).toBe(record(EVENT));
  });

  it('an archive line that is not JSON is handed on whole, so that its parse error is reported where it is', () => {
    const { lines } = readAll(`${record(EVENT)}\n{"_id":"x","attributes":{"a":1}\n`);
    expect(lines[1]!.bytes.toString()).toBe('{"_id":"x","attributes":{"a":1}');
    expect(lines[1]!.record).toBeUndefined();
  });

  it('a broken document fails where it breaks, after the elements before it', () => {
    const r = readAll(`[${EVENT},${EVENT} ${EVENT}]`);
    expect(r.lines).toHaveLength(2);
    expect(r.failure).toBe(`1:${2 * EVENT.length + 4}: expected ',' or ']' after item 1 of the array, found '{'`);
  });
});

describe('objectMembers', () => {
  it.each<[string, string | undefined]>([
    ['{"attributes":{"a":"}"}}', '{"a":"}"}'],
    [' { "x" : [1,{"attributes":2}] , "attributes" : {} } ', '{}'],
    ['{"attributes":1,"attributes":{"b":2}}', '{"b":2}'],
    ['{"a":"\\"attributes\\"","b":1}', 'none'],
    ['{"attributes":{}', undefined],
    ['{"attributes":{}} x', undefined],
    ['[1]', undefined],
  ])('%s', (text, expected) => {
    const b = Buffer.from(text);
    const found = objectMembers(b, [rawKey('attributes')]);
    const slice = found?.[0];
    expect(found === undefined ? undefined : slice === undefined ? 'none' : b.subarray(slice.start, slice.end).toString()).toBe(expected);
  });
});

describe('ShapeReader properties', () => {
  const value = fc.jsonValue({ maxDepth: 3 });
  const ev = fc.dictionary(fc.string({ maxLength: 5 }).filter((k) => k !== 'evt'), value, { maxKeys: 4 });
  it('archive lines give back the exact text of each attributes object, whatever the chunks', () => {
    fc.assert(
      fc.property(fc.array(ev, { minLength: 1, maxLength: 5 }), fc.array(fc.integer({ min: 1, max: 13 }), { minLength: 1, maxLength: 3 }), (events, sizes) => {
        const texts = events.map((e) => JSON.stringify(e));
        const text = texts.map((t) => record(t)).join('\n');
        const r = read(text, 'auto', sizes);
        expect(r.shape).toBe('archive');
        expect(r.lines.map((l) => l.bytes.toString())).toEqual(texts);
      }),
      { numRuns: 100 },
    );
  });
});
