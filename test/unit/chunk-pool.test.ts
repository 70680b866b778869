import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChunkPool, fileChunks, releaseChunk } from '../../src/io/chunk-pool.js';

const dir = mkdtempSync(join(tmpdir(), 'csm-chunk-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ChunkPool: buffers used again once their reader gives them back', () => {
  it('lends a buffer again only after its chunk was released', () => {
    const pool = new ChunkPool(8);
    const a = pool.take();
    const chunk = pool.lend(a, 5);
    expect(chunk.length).toBe(5);
    expect(pool.take()).not.toBe(a);
    pool.release(chunk);
    expect(pool.take()).toBe(a);
  });

  it('leaves alone a chunk it did not lend, and a chunk released twice is kept once', () => {
    const pool = new ChunkPool(8);
    pool.release(Buffer.alloc(8));
    const a = pool.take();
    const chunk = pool.lend(a, 8);
    pool.release(chunk);
    pool.release(chunk);
    expect(pool.take()).toBe(a);
    expect(pool.take()).not.toBe(a);
  });
});

describe('fileChunks: a file read into the pool', () => {
  it('gives the file byte for byte, whether the chunks are given back (copied at once) or kept as they are', async () => {
    const bytes = Buffer.alloc(100_003);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
    const path = join(dir, 'f.bin');
    writeFileSync(path, bytes);
    for (const copied of [true, false]) {
      const parts: Buffer[] = [];
      for await (const chunk of fileChunks(await open(path), 4096)) {
        expect(chunk.length).toBeLessThanOrEqual(4096);
        // A reader that copies gives the chunk back at once; one that keeps views does not.
        parts.push(copied ? Buffer.from(chunk) : chunk);
        if (copied) releaseChunk(chunk);
      }
      expect(Buffer.concat(parts).equals(bytes)).toBe(true);
    }
  });

  it('gives nothing for an empty file', async () => {
    const path = join(dir, 'empty');
    writeFileSync(path, '');
    const parts: Buffer[] = [];
    for await (const chunk of fileChunks(await open(path), 4096)) parts.push(chunk);
    expect(parts).toEqual([]);
  });
});
