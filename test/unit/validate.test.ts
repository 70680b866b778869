import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { UsageError } from '../../src/core/diagnostic.js';
import { schemaDraft } from '../../src/core/validate.js';
import { createValidator } from '../../src/io/schemas.js';
import { EXAMPLES } from '../helpers/run.js';

const validator = createValidator();
const valid = readFileSync(EXAMPLES, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);

describe('createValidator with the bundled schema', () => {
  it('accepts every example event', () => {
    for (const e of valid) expect(validator.validate(e)).toEqual([]);
  });

  it('reports every error of an event, not only the first', () => {
    const issues = validator.validate({ evt: { name: 1, bogus: true } });
    expect(issues.map((i) => [i.instancePath, i.code])).toEqual(
      expect.arrayContaining([
        ['', 'required'],
        ['/evt', 'additionalProperties'],
        ['/evt/name', 'type'],
      ]),
    );
    expect(issues).toHaveLength(4);
  });

  it('treats 1.0 as an integer and 1.5 as not (JSON Schema: a number with zero fraction is an integer)', () => {
    const e = structuredClone(valid[0]!);
    e.process.pid = 1.0;
    expect(validator.validate(e)).toEqual([]);
    e.process.pid = 1.5;
    expect(validator.validate(e).map((i) => i.message)).toEqual(['expected integer, found number']);
  });

  it('checks date-time with the RFC 3339 checker, not ajv-formats', () => {
    const e = structuredClone(valid[0]!);
    e.file.change_time = '2024-08-01 12:00:00Z';
    expect(validator.validate(e).map((i) => i.code)).toEqual(['format']);
  });

  it('names the format and the value in the message', () => {
    const e = structuredClone(valid[0]!);
    e.file.change_time = 'yesterday';
    expect(validator.validate(e)[0]!.message).toBe('expected a date-time string (RFC 3339), found "yesterday"');
  });
});

describe('schemaDraft', () => {
  it.each([
    [{}, '2020-12'],
    [{ $schema: 'https://json-schema.org/draft/2020-12/schema' }, '2020-12'],
    [{ $schema: 'https://json-schema.org/draft/2019-09/schema#' }, '2019-09'],
    [{ $schema: 'http://json-schema.org/draft-07/schema#' }, 'draft-07'],
  ])('%j -> %s', (schema, draft) => {
    expect(schemaDraft(schema)).toBe(draft);
  });
  it('rejects other drafts with a usage error', () => {
    expect(() => schemaDraft({ $schema: 'http://json-schema.org/draft-04/schema#' })).toThrow(UsageError);
  });
});
