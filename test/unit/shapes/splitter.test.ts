import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DocumentSplitter, type DocumentMode, type Element, type SplitFailure } from '../../../src/core/shapes/splitter.js';
import { positionIn } from '../../../src/core/shapes/reader.js';

/** Feeds `input` in chunks of the given sizes (cycled); the elements (bytes copied) and the failure, if any. */
export function split(input: Buffer, mode: DocumentMode, sizes: number[], maxBytes = Infinity): { elements: Element[]; failure?: SplitFailure } {
  const elements: Element[] = [];
  const s = new DocumentSplitter(mode, { maxBytes });
  const sink = (el: Element): void => {
    elements.push({ ...el, bytes: Buffer.from(el.bytes) });
  };
  let i = 0;
  let k = 0;
  while (i < input.length) {
    const n = Math.max(1, sizes[k++ % sizes.length]!);
    s.push(input.subarray(i, i + n), sink);
    i += n;
  }
  s.end(sink);
  return s.failure === undefined ? { elements } : { elements, failure: s.failure };
}

const CHUNKINGS: number[][] = [[1 << 30], [1], [3, 1, 7, 2]];

/** The same result whole, byte by byte and in odd chunks; returns it. */
function splitAll(text: string, mode: DocumentMode, maxBytes = Infinity): { elements: Element[]; failure?: SplitFailure } {
  const input = Buffer.from(text, 'utf8');
  const results = CHUNKINGS.map((sizes) => split(input, mode, sizes, maxBytes));
  for (const r of results.slice(1)) expect(r).toEqual(results[0]);
  return results[0]!;
}

const texts = (els: Element[]): string[] => els.map((e) => (e.tooLong ? `<tooLong ${e.length}>` : e.problem ?? e.bytes.toString('utf8')));

/** Byte offset in `input` of a (line, column) position, columns counting code points. */
function byteAt(input: Buffer, line: number, column: number): number {
  let i = 0;
  for (let l = 1; l < line; l++) i = input.indexOf(0x0a, i) + 1;
  for (let c = 1; c < column; i++) if ((input[i + 1]! & 0xc0) !== 0x80) c++;
  return i;
}

describe('DocumentSplitter, json', () => {
  it.each<[string, string, string[]]>([
    ['an array gives its elements, each exactly as written', '[{"a":1},{"b":18446744073709551615}]', ['{"a":1}', '{"b":18446744073709551615}']],
    ['whitespace outside strings is dropped, strings are kept byte for byte', '[ { "a" : "x  y\\u0041" ,\n "b":[1, 2] } ]', ['{"a":"x  y\\u0041","b":[1,2]}']],
    ['texts one after another are each an element', '{\n  "a": 1\n}\n{\n  "b": 2\n}\n', ['{"a":1}', '{"b":2}']],
    ['a scalar text is an element too', '1 "x" null', ['1', '"x"', 'null']],
    ['arrays one after another give all their elements', '[{"a":1}]\n[{"b":2}]', ['{"a":1}', '{"b":2}']],
    ['an empty array gives nothing', '[]', []],
    ['brackets and quotes inside strings are text', '[{"a":"]}\\"[{"}]', ['{"a":"]}\\"[{"}']],
    ['nested arrays stay inside their element', '[[1,[2]],{"a":[{}]}]', ['[1,[2]]', '{"a":[{}]}']],
  ])('%s', (_name, text, expected) => {
    expect(texts(splitAll(text, 'json').elements)).toEqual(expected);
  });

  it('numbers the elements of an array from 0, and gives the line and column of their first byte', () => {
    const { elements } = splitAll('[\n  {"a":1},\n  {"é":2}, {"c":3}\n]', 'json');
    expect(elements.map((e) => [e.item, e.line, e.column])).toEqual([
      [0, 2, 3],
      [1, 3, 3],
      [2, 3, 12],
    ]);
  });

  it.each<[string, string, string]>([
    ['a missing comma', '[{"a":1} {"b":2}]', "1:10: expected ',' or ']' after item 0 of the array, found '{'"],
    ['a trailing comma', '[{"a":1},]', "1:10: expected item 1 of the array, found ']'"],
    ['an unclosed array', '[{"a":1},\n', "2:1: unexpected end of input: the array is not closed (']' missing after item 0)"],
    ['an unclosed element', '[{"a":[1,2}', '1:12: unexpected end of input: item 0 is not closed'],
    ['a stray closing bracket', '{"a":1}\n]', "2:1: expected a JSON value, found ']'"],
  ])('%s breaks the document where it is', (_name, text, expected) => {
    const { failure } = splitAll(text, 'json');
    expect(`${failure?.line}:${failure?.column}: ${failure?.message}`).toBe(expected);
  });

  it('an element longer than the limit is not kept: its compacted length is given', () => {
    expect(texts(splitAll('[{"a": 1}, {"bbbbbbbbbb": 2}, {"c":3}]', 'json', 10).elements)).toEqual(['{"a":1}', '<tooLong 16>', '{"c":3}']);
  });
});

describe('DocumentSplitter, api', () => {
  it('gives the records of every page, numbered within their page, and skips the other members', () => {
    const text = '{"meta":{"x":[1,{"data":[9]}]},"data":[{"id":"a"},{"id":"b"}],"links":{"next":"n"}}\n{"data":[{"id":"c"}]}';
    const { elements, failure } = splitAll(text, 'api');
    expect(failure).toBeUndefined();
    expect(elements.map((e) => [e.item, e.bytes.toString()])).toEqual([
      [0, '{"id":"a"}'],
      [1, '{"id":"b"}'],
      [0, '{"id":"c"}'],
    ]);
  });

  it('a page without a "data" list is a problem, at the page, and the next page is read', () => {
    const { elements } = splitAll('{"errors":["Forbidden"]}\n{"data":[{"id":"c"}]}', 'api');
    expect(elements.map((e) => [e.line, e.column, e.problem ?? e.bytes.toString()])).toEqual([
      [1, 1, 'an API response without a "data" list (an error response?): no events in it'],
      [2, 10, '{"id":"c"}'],
    ]);
  });

  it.each<[string, string]>([
    ['[1]', "1:1: expected an API response (a JSON object with a \"data\" list), found '['"],
    ['{"data":[{"id":1}]} x', "1:21: expected an API response (a JSON object with a \"data\" list), found 'x'"],
    ['{"data":[{"id":1}]', '1:19: unexpected end of input: the API page is not closed'],
  ])('%s is a broken API response', (text, expected) => {
    const { failure } = splitAll(text, 'api');
    expect(`${failure?.line}:${failure?.column}: ${failure?.message}`).toBe(expected);
  });
});

// ---------------------------------------------------------------------------
// Properties

const event = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });
/** JSON text with random whitespace (space, tab, CR, LF) between tokens, strings as JSON.stringify writes them. */
function spaced(value: unknown, ws: string[]): string {
  let k = 0;
  const pad = (): string => ws[k++ % ws.length]!;
  const go = (v: unknown): string => {
    if (Array.isArray(v)) return `[${pad()}${v.map((x) => go(x)).join(`${pad()},${pad()}`)}${pad()}]`;
    if (v !== null && typeof v === 'object') {
      return `{${pad()}${Object.entries(v).map(([key, x]) => `${JSON.stringify(key)}${pad()}:${pad()}${go(x)}`).join(`${pad()},${pad()}`)}${pad()}}`;
    }
    return JSON.stringify(v);
  };
  return go(value);
}
const whitespace = fc.array(fc.constantFrom('', ' ', '\n', '\t', '\r\n', '  '), { minLength: 1, maxLength: 6 });
const sizes = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 });

describe('DocumentSplitter properties', () => {
  it('a compact array gives each element as the exact bytes of its text, at its offset, whatever the chunks', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 6 }), sizes, (events, chunkSizes) => {
        const text = JSON.stringify(events);
        const input = Buffer.from(text);
        const { elements, failure } = split(input, 'json', chunkSizes);
        expect(failure).toBeUndefined();
        expect(elements.map((e) => e.bytes.toString())).toEqual(events.map((e) => JSON.stringify(e)));
        for (const e of elements) expect(input.subarray(e.offset, e.offset + e.bytes.length).equals(e.bytes)).toBe(true);
        expect(split(input, 'json', [1 << 30])).toEqual({ elements, ...(failure ? { failure } : {}) });
      }),
      { numRuns: 150 },
    );
  });

  it('a spaced-out document gives the compact text of each element, and every byte maps back to the same byte in the file', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 5 }), whitespace, sizes, fc.boolean(), (events, ws, chunkSizes, asArray) => {
        const text = asArray ? spaced(events, ws) : events.map((e) => spaced(e, ws)).join(ws[0] === '' ? '\n' : ws[0]);
        const input = Buffer.from(text);
        const { elements, failure } = split(input, 'json', chunkSizes);
        expect(failure).toBeUndefined();
        expect(elements.map((e) => e.bytes.toString())).toEqual(events.map((e) => JSON.stringify(e)));
        for (const el of elements) {
          expect(byteAt(input, el.line, el.column)).toBe(el.offset);
          for (let k = 0; k < el.bytes.length; k++) {
            if ((el.bytes[k]! & 0xc0) === 0x80) continue;
            const p = positionIn(el, k);
            expect(input[byteAt(input, p.line, p.column)]).toBe(el.bytes[k]);
          }
        }
      }),
      { numRuns: 120 },
    );
  });

  it('API pages give every record of every page, compacted, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.array(event, { maxLength: 3 }), { minLength: 1, maxLength: 3 }), whitespace, sizes, (pages, ws, chunkSizes) => {
        const text = pages.map((records) => spaced({ links: { next: 'x' }, data: records, meta: { n: [1, 2] } }, ws)).join('\n');
        const { elements, failure } = split(Buffer.from(text), 'api', chunkSizes);
        expect(failure).toBeUndefined();
        expect(elements.map((e) => [e.item, e.bytes.toString()])).toEqual(pages.flatMap((records) => records.map((r, i) => [i, JSON.stringify(r)])));
      }),
      { numRuns: 100 },
    );
  });
});
