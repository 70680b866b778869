import { describe, expect, it } from 'vitest';
import { MAX_DISTINCT, MAX_KEY_CHARS, OTHER, tally, tallyKey } from '../../src/core/tally.js';

describe('tally keeps a summary map bounded', () => {
  it('counts the first MAX_DISTINCT - 1 names exactly, every later new name under (other)', () => {
    const map = new Map<string, number>();
    for (let i = 0; i < 5000; i++) tally(map, `n${i}`);
    tally(map, 'n0');
    tally(map, 'n4999');
    expect(map.size).toBe(MAX_DISTINCT);
    expect(map.get('n0')).toBe(2);
    expect(map.get(OTHER)).toBe(5000 - (MAX_DISTINCT - 1) + 1);
  });

  it('cuts a long name to MAX_KEY_CHARS characters and an ellipsis, never inside a surrogate pair', () => {
    expect(tallyKey('a'.repeat(MAX_KEY_CHARS))).toBe('a'.repeat(MAX_KEY_CHARS));
    expect(tallyKey('a'.repeat(MAX_KEY_CHARS + 1))).toBe(`${'a'.repeat(MAX_KEY_CHARS)}…`);
    const emoji = `${'a'.repeat(MAX_KEY_CHARS - 1)}😀tail`;
    expect(tallyKey(emoji)).toBe(`${'a'.repeat(MAX_KEY_CHARS - 1)}…`);
  });
});
