/** Streams of strings (an encoding set, Readable.from('text')) are read as UTF-8 text; object streams are refused clearly. */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputError, filterStream, validateStream } from '../../src/index.js';
import { EXAMPLES } from '../helpers/run.js';

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('string chunks', () => {
  it('validateStream(createReadStream(f, "utf8")) judges as the byte stream does', async () => {
    const strings = await all(validateStream(createReadStream(EXAMPLES, 'utf8')));
    const bytes = await all(validateStream(createReadStream(EXAMPLES)));
    expect(strings.map((r) => [r.line, r.status])).toEqual(bytes.map((r) => [r.line, r.status]));
    expect(strings.map((r) => r.bytes.toString())).toEqual(bytes.map((r) => r.bytes.toString()));
    expect(strings).toHaveLength(10);
  });

  it('validateStream(Readable.from(text)) and filterStream take a string', async () => {
    const r = await all(validateStream(Readable.from('{"a":1}\n\n')));
    expect(r.map((x) => x.status)).toEqual(['invalid', 'blank']);
    const f = await all(filterStream(Readable.from(['{"evt":{"name":"exec"}}\n{"evt":', '{"name":"open"}}\n']), { kinds: 'open', schemaCheck: false }));
    expect(f.map((x) => x.line)).toEqual([2]);
  });

  it('an object-mode stream is an InputError naming the stream, not a TypeError', async () => {
    await expect(all(validateStream(Readable.from([{ a: 1 }])))).rejects.toThrow(InputError);
    await expect(all(validateStream(Readable.from([{ a: 1 }]), { name: 'objs' }))).rejects.toThrow('objs: the stream gives object chunks, not bytes or strings');
  });
});
