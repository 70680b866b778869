/**
 * What csm-validate refuses in a schema (core/schema-support.ts), the exact
 * rewrites it makes for ajv (core/schema-rewrite.ts), the refs a schema uses
 * (core/schema-compile.ts), `--ref` arguments (io/schema-refs.ts) and the IRI/IDN
 * formats (core/iri-formats.ts).
 */
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { type Rfc3986Checks, isHostname as hostnameWith, isIdnEmail, isIdnHostname, isIri as iriWith, isIriReference as iriReferenceWith } from '../../src/core/iri-formats.js';
import { usedRefs } from '../../src/core/schema-compile.js';
import { rewriteForAjv } from '../../src/core/schema-rewrite.js';
import { unsupportedConstructs } from '../../src/core/schema-support.js';
import { compileValidator } from '../../src/core/validate.js';
import { parseRefArg } from '../../src/io/schema-refs.js';

const ajvFormats = (createRequire(import.meta.url)('ajv-formats/dist/formats') as { fullFormats: Record<string, RegExp | ((s: string) => boolean)> }).fullFormats;
const check = (name: string) => (s: string): boolean => {
  const f = ajvFormats[name]!;
  return typeof f === 'function' ? f(s) : f.test(s);
};
const RFC3986: Rfc3986Checks = { uri: check('uri'), uriReference: check('uri-reference'), hostname: check('hostname') };
const isIri = (s: string): boolean => iriWith(s, RFC3986);
const isIriReference = (s: string): boolean => iriReferenceWith(s, RFC3986);
const isHostname = (s: string): boolean => hostnameWith(s, RFC3986);

const pointers = (schema: unknown, draft: 'draft-07' | '2019-09' | '2020-12' = '2020-12'): string[] =>
  unsupportedConstructs(schema, draft).map((p) => p.pointer);

describe('unsupportedConstructs', () => {
  it('accepts the extensible recursive schema use of $dynamicRef (anchor at the resource root)', () => {
    expect(pointers({ $id: 'https://x/tree', $dynamicAnchor: 'node', properties: { kids: { items: { $dynamicRef: '#node' } } } })).toEqual([]);
  });

  it('names a $dynamicRef whose resource root has no such $dynamicAnchor; a JSON-pointer one, once rewritten, is none', () => {
    expect(pointers({ items: { $dynamicRef: '#node' } })).toEqual(['#/items/$dynamicRef']);
    expect(pointers(rewriteForAjv({ $defs: { a: true }, items: { $dynamicRef: '#/$defs/a' } }))).toEqual([]);
  });

  it('names unevaluatedItems beside contains in 2020-12 only, and beside an if without then in every draft', () => {
    expect(pointers({ contains: {}, unevaluatedItems: false })).toEqual(['#/unevaluatedItems']);
    expect(pointers({ contains: {}, unevaluatedItems: false }, '2019-09')).toEqual([]);
    expect(pointers({ allOf: [{ if: {} }], unevaluatedProperties: false }, '2019-09')).toEqual(['#/unevaluatedProperties']);
    expect(pointers({ if: {}, then: {}, unevaluatedProperties: false })).toEqual([]);
  });

  it('names a draft-07 assertion beside $ref, not an annotation', () => {
    expect(pointers({ $ref: '#/definitions/a', maxItems: 2, definitions: { a: {} } }, 'draft-07')).toEqual(['#/maxItems']);
    expect(pointers({ $ref: '#/definitions/a', description: 'x', definitions: { a: {} } }, 'draft-07')).toEqual([]);
  });

  it('names a pattern RE2 cannot run, in patternProperties keys too', () => {
    expect(pointers({ patternProperties: { '(?=a)': {} }, properties: { a: { pattern: '\\1(a)' } } })).toEqual([
      '#/patternProperties/(?=a)',
      '#/properties/a/pattern',
    ]);
  });
});

describe('rewriteForAjv', () => {
  it('judges properties.__proto__ like any other property, without changing the given schema', () => {
    const schema = JSON.parse('{"properties":{"__proto__":{"type":"number"}}}') as Record<string, unknown>;
    const v = compileValidator(schema);
    expect(v.isValid(JSON.parse('{"__proto__":"foo"}'))).toBe(false);
    expect(v.isValid(JSON.parse('{"__proto__":12}'))).toBe(true);
    expect(v.isValid({})).toBe(true);
    expect(Object.keys(schema.properties as object)).toEqual(['__proto__']);
  });

  it('reads a $dynamicRef without an anchor as a $ref', () => {
    expect(rewriteForAjv({ $defs: { f: false }, items: { $dynamicRef: '#/$defs/f' } })).toEqual({ $defs: { f: false }, items: { $ref: '#/$defs/f' } });
  });
});

describe('usedRefs and parseRefArg', () => {
  const ref = (uri: string, schema: unknown) => ({ uri, schema, label: `ref ${uri}` });

  it('keeps the refs reached through $ref, relative ones included, and drops the rest', () => {
    const a = ref('http://h/a.json', { $ref: 'b.json' });
    const b = ref('http://h/b.json', { type: 'integer' });
    const c = ref('http://h/c.json', { $schema: 'http://json-schema.org/draft-07/schema#' });
    expect(usedRefs({ $ref: 'http://h/a.json' }, [a, b, c], '2020-12')).toEqual([a, b]);
    expect(() => usedRefs({ $ref: 'http://h/c.json' }, [c], '2020-12')).toThrow(/is a draft-07 schema, used by a 2020-12 schema/);
  });

  it('reads URI=FILE when the argument starts with a scheme, else a file', () => {
    expect(parseRefArg('https://x/y.json=a.json')).toEqual({ uri: 'https://x/y.json', path: 'a.json' });
    expect(parseRefArg('urn:x=./f=g.json')).toEqual({ uri: 'urn:x', path: './f=g.json' });
    expect(parseRefArg('./a=b.json')).toEqual({ path: './a=b.json' });
    expect(parseRefArg('schemas/x.json')).toEqual({ path: 'schemas/x.json' });
  });
});

describe('IRI and IDN formats', () => {
  it('checks iri and iri-reference as RFC 3987 maps them to RFC 3986', () => {
    expect(isIri('http://ƒøø.ßår/?∂éœ=πîx#πîüx')).toBe(true);
    expect(isIri('/abc')).toBe(false);
    expect(isIriReference('//ƒøø.ßår/?∂éœ=πîx#πîüx')).toBe(true);
    expect(isIriReference('\\\\WINDOWS\\filëßåré')).toBe(false);
  });

  it('checks idn-hostname and idn-email with IDNA (UTS 46) and host name lengths', () => {
    expect(isIdnHostname('실례.테스트')).toBe(true);
    expect(isIdnHostname('〮실례.테스트')).toBe(false);
    expect(isIdnHostname(`${'a'.repeat(64)}.com`)).toBe(false);
    expect(isIdnEmail('실례@실례.테스트')).toBe(true);
    expect(isIdnEmail('2962')).toBe(false);
  });

  it('checks the A-labels of a hostname (IDNA 2008 rules) and refuses a root dot', () => {
    expect(isHostname('xn--bcher-kva.example')).toBe(true);
    expect(isHostname('xn--X.example')).toBe(false);
    expect(isHostname('example.com.')).toBe(false);
    expect(isIdnHostname('a\u00b7l')).toBe(false);
    expect(isIdnHostname('l\u00b7l')).toBe(true);
    expect(isIdnHostname('\u05d0\u05f3')).toBe(true);
    expect(isIdnHostname('a\u05f3')).toBe(false);
  });
});
