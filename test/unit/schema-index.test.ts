import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  buildSchemaIndex,
  editDistance,
  listPaths,
  resolvePath,
  type SchemaIndex,
} from '../../src/core/schema-index.js';
import { formatPath, parsePath } from '../../src/core/path.js';

const bundled = JSON.parse(
  readFileSync(new URL('../../schema/backend_linux.schema.json', import.meta.url), 'utf8'),
) as object;
const index = buildSchemaIndex(bundled);

function resolved(idx: SchemaIndex | null, text: string) {
  const r = resolvePath(idx, text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r;
}

function failure(idx: SchemaIndex | null, text: string) {
  const r = resolvePath(idx, text);
  if (r.ok) throw new Error(`${text} resolved to ${formatPath(r.path)}`);
  return r.error;
}

describe('resolvePath against the bundled schema', () => {
  test.each([
    ['process.pid', 'process.pid', ['integer']],
    ['process.args', 'process.args', ['array']],
    ['process.args[0]', 'process.args[0]', ['string']],
    ['process.args[-1]', 'process.args[-1]', ['string']],
    ['process.ancestors[*].executable.path', 'process.ancestors[*].executable.path', ['string']],
    ['process.parent.executable.inode', 'process.parent.executable.inode', ['integer']],
    ['mount.mountpoint.path', 'mount["mountpoint.path"]', ['string']],
    ['mount.source.path', 'mount["source.path"]', ['string']],
    ['mount.mountpoint.path_error', 'mount["mountpoint.path_error"]', ['string']],
    ['mount["mountpoint.path"]', 'mount["mountpoint.path"]', ['string']],
    ['mount.mp.path', 'mount.mp.path', ['string']],
    ['date', 'date', ['string']],
    ['syscall.open', 'syscall.open', ['object']],
  ])('%s resolves to %s (%j)', (text, canonical, types) => {
    const r = resolved(index, text);
    expect(formatPath(r.path)).toBe(canonical);
    expect(r.node?.types).toEqual(types);
  });

  test('mount.mountpoint.path is one key `mountpoint.path`, spanning both dotted parts', () => {
    const r = resolved(index, 'mount.mountpoint.path');
    expect(r.path.segments).toEqual([
      { kind: 'key', key: 'mount', span: { start: 0, end: 5 }, quoted: false },
      { kind: 'key', key: 'mountpoint.path', span: { start: 6, end: 21 }, quoted: false },
    ]);
    expect(r.path.text).toBe('mount.mountpoint.path');
  });

  test('nodes carry format and description', () => {
    const r = resolved(index, 'process.exec_time');
    expect(r.node?.format).toBe('date-time');
    expect(r.node?.description).toBe('Exec time of the process');
    // the description at the place of use wins over the one of the $ref target
    expect(resolved(index, 'mount.mp').node?.description).toBe('Mount point file information');
  });

  test.each([
    'evt.variables.anything',
    'evt.variables.a.b.c[3]',
    'process.user_session.k8s_extra.team',
    'process.user_session.k8s_extra.team[0]',
    'agent.rule_actions[0].name',
    'agent.rule_actions[*].filter.deep[2]',
    'process.credentials.destination.uid',
    'process.credentials.destination.x[*].y',
    'process.variables.whatever',
  ])('free-form sub-path %s is accepted', (text) => {
    expect(resolvePath(index, text).ok).toBe(true);
  });

  test('free-form nodes are marked so', () => {
    for (const text of [
      'evt.variables',
      'process.user_session.k8s_extra',
      'agent.rule_actions[*]',
      'process.credentials.destination',
    ]) {
      expect(resolved(index, text).node?.freeForm, text).toBe(true);
    }
    expect(resolved(index, 'process').node?.freeForm).toBe(false);
  });

  test('the value schema of additionalProperties still applies below a free-form key', () => {
    // k8s_extra values are arrays of strings
    expect(resolved(index, 'process.user_session.k8s_extra.team[0]').node?.types).toEqual(['string']);
    expect(failure(index, 'process.user_session.k8s_extra.team.x').message).toContain('is a list');
  });

  test.each([
    ['process.arg', "unknown field 'process.arg' — did you mean 'process.args'?", 'process.args'],
    ['prcess.pid', "unknown field 'prcess' — did you mean 'process.pid'?", 'process.pid'],
    ['process.executabel.path', "unknown field 'process.executabel'", 'process.executable.path'],
    ['mount.mountpoint.pth', "unknown field 'mount.mountpoint'", 'mount["mountpoint.path"]'],
    ['process.ancestors[0].executable.pth', "unknown field 'process.ancestors[0].executable.pth'", 'process.ancestors[*].executable.path'],
  ])('%s is unknown, with a suggestion', (text, message, suggestion) => {
    const e = failure(index, text);
    expect(e.code).toBe('unknown-field');
    expect(e.message).toContain(message);
    expect(e.suggestion).toBe(suggestion);
  });

  test('no suggestion when nothing is close', () => {
    const e = failure(index, 'foo');
    expect(e.message).toBe("unknown field 'foo'");
    expect(e.suggestion).toBeUndefined();
    expect(failure(index, 'process.zzzzzzzz').suggestion).toBeUndefined();
  });

  test('the error span is the step that does not exist', () => {
    expect(failure(index, 'process.arg').span).toEqual({ start: 8, end: 11 });
  });

  test('a field of the elements of a list needs [*], and the error says so', () => {
    const e = failure(index, 'process.ancestors.executable.path');
    expect(e.message).toContain("'process.ancestors' is a list");
    expect(e.suggestion).toBe('process.ancestors[*].executable.path');
  });

  test('an index on a scalar, or a key below a scalar, is an error', () => {
    expect(failure(index, 'process.pid[0]').message).toBe("'process.pid' is an integer, not a list: '[0]' does not apply");
    expect(failure(index, 'process.pid.x').message).toBe("'process.pid' is an integer and has no field 'x'");
  });

  test('the ancestors of a process have no `file` (SECL calls `executable` so): the error suggests it', () => {
    const e = failure(index, 'process.ancestors[*].file.path');
    expect(e.message).toBe(
      "unknown field 'process.ancestors[*].file' — did you mean 'process.ancestors[*].executable.path'?",
    );
    expect(failure(index, 'process.file.name').suggestion).toBe('process.executable.name');
  });

  test('a malformed path is a path error', () => {
    const e = failure(index, 'process.');
    expect(e.code).toBe('path');
  });

  test('__proto__ and constructor are not schema keys', () => {
    expect(failure(index, 'process.__proto__').code).toBe('unknown-field');
    expect(failure(index, 'constructor').code).toBe('unknown-field');
    expect(failure(index, 'process.toString').code).toBe('unknown-field');
  });
});

describe('resolvePath without a schema', () => {
  test('splits on every dot', () => {
    const r = resolved(null, 'mount.mountpoint.path');
    expect(r.path.segments.map((s) => (s.kind === 'key' ? s.key : s.kind))).toEqual(['mount', 'mountpoint', 'path']);
    expect(r.node).toBeUndefined();
  });

  test('accepts any well-formed path', () => {
    expect(resolvePath(null, 'anything.at[3].all[*]').ok).toBe(true);
  });
});

describe('dotted keys', () => {
  const schema = {
    type: 'object',
    additionalProperties: false,
    properties: {
      a: {
        type: 'object',
        additionalProperties: false,
        properties: {
          'b.c': { type: 'string' },
          b: {
            type: 'object',
            additionalProperties: false,
            properties: { c: { type: 'integer' }, d: { type: 'boolean' } },
          },
          'x.y': { type: 'object', additionalProperties: false, properties: { z: { type: 'string' } } },
          x: { type: 'object', additionalProperties: false, properties: { 'y.w': { type: 'integer' } } },
        },
      },
    },
  };
  const idx = buildSchemaIndex(schema);

  test('when a dotted key and a nested path both exist, the longest key wins', () => {
    const r = resolved(idx, 'a.b.c');
    expect(formatPath(r.path)).toBe('a["b.c"]');
    expect(r.node?.types).toEqual(['string']);
  });

  test('the nested path stays reachable by quoting', () => {
    expect(formatPath(resolved(idx, 'a.b["c"]').path)).toBe('a.b.c');
    expect(resolved(idx, 'a.b["c"]').node?.types).toEqual(['integer']);
  });

  test('a shorter key is used when the longer one cannot resolve the rest', () => {
    expect(formatPath(resolved(idx, 'a.b.d').path)).toBe('a.b.d');
    expect(formatPath(resolved(idx, 'a.x.y.z').path)).toBe('a["x.y"].z');
    expect(formatPath(resolved(idx, 'a.x.y.w').path)).toBe('a.x["y.w"]');
  });
});

describe('buildSchemaIndex on other schemas', () => {
  test('anyOf/oneOf/allOf branches are merged', () => {
    const idx = buildSchemaIndex({
      type: 'object',
      additionalProperties: false,
      properties: {
        u: {
          anyOf: [
            { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false },
            { type: 'object', properties: { b: { type: 'integer' } }, additionalProperties: false },
          ],
        },
        v: { oneOf: [{ type: 'string' }, { type: 'null' }] },
        w: { allOf: [{ $ref: '#/$defs/W' }] },
      },
      $defs: { W: { type: 'object', additionalProperties: false, properties: { c: { type: 'boolean' } } } },
    });
    expect(resolved(idx, 'u.a').node?.types).toEqual(['string']);
    expect(resolved(idx, 'u.b').node?.types).toEqual(['integer']);
    expect(resolved(idx, 'v').node?.types).toEqual(['string', 'null']);
    expect(resolved(idx, 'w.c').node?.types).toEqual(['boolean']);
    expect(resolvePath(idx, 'u.c').ok).toBe(false);
  });

  test('prefixItems give the node of each position', () => {
    const idx = buildSchemaIndex({
      type: 'object',
      properties: { t: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }] } },
    });
    expect(resolved(idx, 't[0]').node?.types).toEqual(['string']);
    expect(resolved(idx, 't[1]').node?.types).toEqual(['integer']);
  });

  test('a recursive schema resolves deep paths and lists finitely', () => {
    const idx = buildSchemaIndex({
      $ref: '#/$defs/Node',
      $defs: {
        Node: {
          type: 'object',
          additionalProperties: false,
          properties: { name: { type: 'string' }, child: { $ref: '#/$defs/Node' } },
        },
      },
    });
    expect(resolved(idx, 'child.child.child.name').node?.types).toEqual(['string']);
    expect(listPaths(idx).map((p) => p.path)).toEqual(['name', 'child']);
  });

  test('an object that does not close additionalProperties accepts other keys', () => {
    const idx = buildSchemaIndex({ type: 'object', properties: { a: { type: 'string' } } });
    expect(resolvePath(idx, 'b.c').ok).toBe(true);
  });

  test('an unresolvable $ref constrains nothing', () => {
    const idx = buildSchemaIndex({ type: 'object', additionalProperties: false, properties: { a: { $ref: 'http://x/y' } } });
    expect(resolvePath(idx, 'a.anything[0]').ok).toBe(true);
  });
});

describe('listPaths', () => {
  const listed = listPaths(index).map((p) => p.path);

  test.each([
    'process.pid',
    'process.args',
    'process.ancestors',
    'process.ancestors[*].executable.path',
    'process.parent.credentials.uid',
    'mount["mountpoint.path"]',
    'mount["source.path_error"]',
    'evt.variables',
    'agent.rule_actions',
    'file.destination.inode',
  ])('contains %s', (path) => {
    expect(listed).toContain(path);
  });

  test('does not list below free-form nodes, nor any path twice', () => {
    expect(listed.some((p) => p.startsWith('evt.variables.'))).toBe(false);
    expect(new Set(listed).size).toBe(listed.length);
  });

  test('every listed path resolves to its own node', () => {
    for (const entry of listPaths(index)) {
      const r = resolvePath(index, entry.path);
      expect(r.ok, entry.path).toBe(true);
      if (r.ok) expect(r.node).toBe(entry.node);
    }
  });

  test('every listed path parses', () => {
    for (const p of listed) expect(parsePath(p).ok, p).toBe(true);
  });
});

describe('editDistance', () => {
  test.each([
    ['arg', 'args', 1],
    ['executabel', 'executable', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['same', 'same', 0],
  ])('%s -> %s is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});
