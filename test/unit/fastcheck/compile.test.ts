/**
 * What the fast path compiles, and what makes it decline a schema (every line
 * then goes the usual way).
 */
import { describe, expect, it } from 'vitest';
import { ANY, T_INT, T_NULL, T_OBJ, T_STR, compileFastSchema, keyHash, lookupKey } from '../../../src/core/fastcheck/compile.js';
import { bundledSchemaNamed, readCatalog } from '../../../src/io/catalog.js';

const EVENT = { agent: { type: 'object', properties: { os: {}, version: {}, rule_id: {} } }, evt: { type: 'object', properties: { name: {} } } };

function compiled(schema: unknown) {
  const c = compileFastSchema(schema);
  if ('declined' in c) throw new Error(c.declined);
  return c;
}

function declined(schema: unknown): string {
  const c = compileFastSchema(schema);
  return 'declined' in c ? c.declined : '';
}

describe('compileFastSchema', () => {
  it.each(readCatalog().schemas.map((s) => s.name))('covers the bundled schema %s', (name) => {
    const c = compiled(bundledSchemaNamed(name));
    expect(c.root.types).toBe(T_OBJ);
    expect(c.root.closed).toBe(true);
    expect(c.captures.agent).toBeGreaterThanOrEqual(0);
    expect(c.captures.name).toBeGreaterThanOrEqual(0);
  });

  it('finds each known key by its bytes and its hash', () => {
    const c = compiled({ properties: { ...EVENT, 'é☕': { type: 'integer' }, ab: { type: ['string', 'null'] } }, required: ['ab'] });
    const find = (k: string) => {
      const b = Buffer.from(k);
      return lookupKey(c.root, keyHash(b, 0, b.length), b, 0, b.length);
    };
    expect(c.root.propNodes[find('é☕')]!.types).toBe(T_INT);
    expect(c.root.propNodes[find('ab')]!.types).toBe(T_STR | T_NULL);
    expect(c.root.required[find('ab')]).toBe(1);
    expect(c.root.requiredCount).toBe(1);
    expect(find('ba')).toBe(-1);
    expect(find('a')).toBe(-1);
    expect(c.root.additional).toBe(ANY);
  });

  it('resolves $ref to $defs, recursion included, and `#` and the root $id', () => {
    const c = compiled({ $id: 'https://x/s', properties: { ...EVENT, t: { $ref: '#/$defs/T' }, r: { $ref: 'https://x/s#' } }, $defs: { T: { type: 'object', properties: { t: { $ref: '#/$defs/T' } } } } });
    const t = c.root.propNodes[2]!;
    expect(t.propNodes[0]).toBe(t);
    expect(c.root.propNodes[3]).toBe(c.root);
  });

  it.each([
    ['enum', { properties: EVENT, enum: [1] }],
    ['minimum', { properties: { ...EVENT, n: { minimum: 1 } } }],
    ['anyOf', { properties: EVENT, anyOf: [{}] }],
    ['patternProperties', { properties: EVENT, patternProperties: { a: {} } }],
    ['another format', { properties: { ...EVENT, h: { format: 'hostname' } } }],
    ['tuple items', { properties: { ...EVENT, l: { items: [{}] } } }],
    ['$ref with siblings', { properties: { ...EVENT, l: { $ref: '#', type: 'object' } } }],
    ['a $ref to another document', { properties: { ...EVENT, l: { $ref: 'other.json#/a' } } }],
    ['an anchor', { properties: { ...EVENT, l: { $ref: '#foo' } } }],
    ['a $ref cycle', { properties: { ...EVENT, l: { $ref: '#/$defs/a' } }, $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } } }],
    ['an unknown type', { properties: EVENT, type: 'float' }],
    ['a __proto__ key', { properties: { ...EVENT, ['__proto__']: {} } }],
    ['an open root without agent and evt', { type: 'object' }],
    ['an open agent without os', { properties: { agent: { properties: {} }, evt: EVENT.evt } }],
  ])('declines %s', (_, schema) => {
    expect(declined(schema)).not.toBe('');
  });

  it('takes a closed root without agent or evt (no accepted line holds them)', () => {
    expect(declined({ type: 'object', additionalProperties: false, properties: { a: {} } })).toBe('');
  });
});
