import { describe, expect, it } from 'vitest';
import { emptyRunHint, envelopeShape } from '../../src/core/hints.js';

const counts = { objects: 10, withoutName: 0, archive: 0, api: 0, custom: 0 };

describe('envelopeShape', () => {
  it('knows a Logs archive record, an API response, and nothing else', () => {
    expect(envelopeShape({ _id: 'x', attributes: { evt: { name: 'exec' } } })).toBe('archive');
    expect(envelopeShape({ data: [], links: {} })).toBe('api');
    expect(envelopeShape({ attributes: 'x' })).toBeUndefined();
    expect(envelopeShape({ data: {} })).toBeUndefined();
    expect(envelopeShape([1])).toBeUndefined();
  });
});

describe('emptyRunHint', () => {
  it('names --input archive when most lines are archive records', () => {
    expect(emptyRunHint({ ...counts, withoutName: 10, archive: 10 }, true)).toMatch(/^10 of 10 JSON lines look like Datadog Logs archive records .*--input archive/);
  });

  it('names --input api for API responses, for csm-validate too', () => {
    expect(emptyRunHint({ ...counts, objects: 1, withoutName: 1, api: 1 }, false)).toMatch(/^the only JSON line looks like Datadog Logs\/Signals API responses.*--input api/);
  });

  it('says why --kind cannot match lines without evt.name (csm-filter only)', () => {
    expect(emptyRunHint({ ...counts, withoutName: 8 }, true)).toMatch(/^8 of 10 JSON lines have no evt.name, so --kind cannot match them/);
    expect(emptyRunHint({ ...counts, withoutName: 8 }, false)).toBeUndefined();
  });

  it('says nothing when the lines do not explain an empty answer', () => {
    expect(emptyRunHint(counts, true)).toBeUndefined();
    expect(emptyRunHint({ ...counts, withoutName: 4 }, true)).toBeUndefined();
    expect(emptyRunHint({ ...counts, withoutName: 10, custom: 10 }, true)).toBeUndefined();
    expect(emptyRunHint({ ...counts, objects: 0 }, true)).toBeUndefined();
  });
});
