/** io/schemas.ts: schemas read once, validators and indexes memoised per schema, CSM_DEBUG. */
import { describe, expect, it } from 'vitest';
import { bundledEventSchema, createValidator, debugLog, loadSchema, schemaIndexOf, validatorFor } from '../../src/io/schemas.js';

describe('schemas', () => {
  it('compiles a validator once per schema object, and the bundled one once', () => {
    const schema = { type: 'object', required: ['a'] };
    expect(createValidator(schema)).toBe(createValidator(schema));
    expect(createValidator({ ...schema })).not.toBe(createValidator(schema));
    expect(createValidator()).toBe(createValidator());
    expect(validatorFor(loadSchema(undefined))).toBe(createValidator());
  });

  it('the bundled schema compiled at run time is another validator than the build-time one, with the same verdicts', () => {
    const runtime = createValidator(bundledEventSchema());
    expect(runtime).not.toBe(createValidator());
    expect(runtime.validate({})).toEqual(createValidator().validate({}));
  });

  it('builds a schema index once per schema object', () => {
    expect(schemaIndexOf(bundledEventSchema())).toBe(schemaIndexOf(bundledEventSchema()));
  });

  it('loadSchema names a file schema by its path, and reads it once', () => {
    expect(loadSchema(undefined)).toMatchObject({ label: 'schema', bundled: true });
    expect(loadSchema({ type: 'object' })).toMatchObject({ label: 'schema', bundled: false });
  });

  it('debugLog writes only under a non-empty CSM_DEBUG', () => {
    const out: string[] = [];
    expect(debugLog({}, (t) => out.push(t), 'csm-validate')).toBeUndefined();
    expect(debugLog({ CSM_DEBUG: '' }, (t) => out.push(t), 'csm-validate')).toBeUndefined();
    debugLog({ CSM_DEBUG: '1' }, (t) => out.push(t), 'csm-validate')!('why');
    expect(out).toEqual(['csm-validate: debug: why\n']);
  });
});
