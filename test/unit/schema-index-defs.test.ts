import { describe, expect, test } from 'vitest';
import { buildSchemaIndex, resolvePath } from '../../src/core/schema-index.js';
import { bundledEventSchema } from '../../src/io/schemas.js';

const index = buildSchemaIndex(bundledEventSchema());
const node = (path: string) => {
  const r = resolvePath(index, path);
  if (!r.ok) throw new Error(r.error.message);
  return r.node!;
};

describe('SchemaNode.defName and required (additions for csm-schema)', () => {
  test.each([
    ['process', 'ProcessContext'],
    ['process.parent', 'Process'],
    ['process.executable', 'File'],
    ['process.ancestors[*]', 'Process'],
    ['mount', 'MountEvent'],
    ['syscalls', 'SyscallsEvent'],
    ['process.pid', undefined],
    ['mount.mountpoint.path', undefined],
  ])('%s is $defs/%s', (path, def) => {
    expect(node(path).defName).toBe(def);
  });

  test('the root has no $defs name; definitions (draft-07) work too', () => {
    expect(index.root.defName).toBeUndefined();
    const legacy = buildSchemaIndex({
      definitions: { Thing: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] } },
      properties: { t: { $ref: '#/definitions/Thing' } },
    });
    expect(legacy.root.child('t')?.defName).toBe('Thing');
    expect(legacy.root.child('t')?.required).toEqual(['a']);
  });

  test('required lists the keys the schema requires', () => {
    expect(index.root.required).toEqual(['agent', 'title']);
    expect(node('process.credentials').required).toContain('auid');
    expect(node('process.pid').required).toEqual([]);
  });
});
