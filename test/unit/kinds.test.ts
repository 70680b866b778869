import { describe, expect, test } from 'vitest';
import { COMMON_SECTIONS, EVENT_KINDS, KIND_NAMES, findKind } from '../../src/core/kinds.js';
import { sampleEvent } from '../../src/core/sample.js';
import { buildSchemaIndex } from '../../src/core/schema-index.js';
import { bundledEventSchema, createValidator } from '../../src/io/schemas.js';

const schema = bundledEventSchema();
const topLevel = Object.keys(schema.properties as object);
const syscallArgs = Object.keys(
  ((schema.$defs as Record<string, { properties: object }>).SyscallContext).properties,
);
const index = buildSchemaIndex(schema);

describe('the kinds table (src/core/kinds.ts)', () => {
  test('names are unique', () => {
    expect(new Set(KIND_NAMES).size).toBe(KIND_NAMES.length);
  });

  test('every common section is a top-level property of the bundled schema', () => {
    for (const s of COMMON_SECTIONS) expect(topLevel).toContain(s);
  });

  test.each(EVENT_KINDS.map((k) => [k.name, k]))('%s: its sections are top-level properties of the bundled schema', (_, kind) => {
    for (const s of kind.sections) expect(topLevel, `${kind.name} -> ${s}`).toContain(s);
    // the example only fills sections the kind declares (or the common ones)
    for (const s of Object.keys(kind.example)) expect([...kind.sections, ...COMMON_SECTIONS]).toContain(s);
    // `syscall` is filled under the kind's own name, which SyscallContext must declare
    if (kind.sections.includes('syscall')) expect(syscallArgs).toContain(kind.name);
  });

  test('findKind finds by evt.name only', () => {
    expect(findKind('exec')?.sections).toEqual(['process', 'file']);
    expect(findKind('EXEC')).toBeUndefined();
  });
});

describe('sample events (src/core/sample.ts)', () => {
  const validator = createValidator();

  test.each(KIND_NAMES)('the %s sample is valid, fills its sections and is deterministic', (name) => {
    const kind = findKind(name)!;
    const event = sampleEvent(kind, index);
    expect(validator.validate(event)).toEqual([]);
    expect((event.evt as { name: string }).name).toBe(name);
    for (const s of [...kind.sections, ...COMMON_SECTIONS]) expect(event).toHaveProperty([s]);
    expect(JSON.stringify(sampleEvent(kind, buildSchemaIndex(schema)))).toBe(JSON.stringify(event));
  });

  test('keys come in schema order and required keys are filled around the example', () => {
    const event = sampleEvent(findKind('dns')!, index);
    expect(Object.keys(event)).toEqual(['agent', 'title', 'evt', 'date', 'process', 'network', 'dns']);
    const creds = (event.process as { credentials: Record<string, unknown> }).credentials;
    expect(creds).toMatchObject({ euid: 0, fsgid: 0, cap_effective: [], cap_permitted: [] });
  });
});
