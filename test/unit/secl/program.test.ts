/**
 * compileSeclProgram: one SECL expression for backend events (src/secl/program.ts) — the
 * event types it applies to, the fields it refuses, the variables it reads and their types.
 */
import { describe, expect, it } from 'vitest';
import { parseRule } from '../../../src/secl/index.js';
import { ASSUMED_FIELDS, compileSeclProgram, type SeclProgram } from '../../../src/secl/program.js';
import { inferVariableTypes, variableSource } from '../../../src/secl/program-variables.js';
import { SECL_FIELDS_LINUX } from '../../../src/secl/fields.js';

function program(text: string): SeclProgram {
  const r = compileSeclProgram(text);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.value;
}

function errors(text: string) {
  const r = compileSeclProgram(text);
  if (r.ok) throw new Error(`${text} compiled`);
  return r.errors;
}

function types(text: string): Record<string, unknown> {
  const parsed = parseRule(text);
  if (!parsed.ok) throw new Error(parsed.errors[0]!.message);
  return Object.fromEntries(inferVariableTypes(parsed.value));
}

describe('compileSeclProgram: event types', () => {
  it.each<[string, string[] | undefined]>([
    ['open.file.path == "/a"', ['open']],
    ['process.file.name == "a"', undefined],
    ['process.file.name == "a" && exec.args != ""', ['exec']],
    ['network.destination.port == 53', ['dns', 'imds', 'packet']],
    ['network.destination.port == 53 && dns.question.name == "a"', ['dns']],
  ])('%s applies to %j', (text, expected) => {
    expect(program(text).eventTypes).toEqual(expected);
  });

  it('match() is false on an event of another type, even where the JSON paths are the same', () => {
    const p = program('open.file.path == "/a"');
    expect(p.match({ evt: { name: 'open' }, file: { path: '/a' } })).toBe(true);
    expect(p.match({ evt: { name: 'unlink' }, file: { path: '/a' } })).toBe(false);
    expect(p.match({ file: { path: '/a' } })).toBe(false);
  });

  it('select() does not parse the exact event for an event of another type', () => {
    const p = program('open.file.inode == 5');
    let parsed = 0;
    expect(p.select({ evt: { name: 'exec' } }, () => { parsed++; return {}; })).toBe(false);
    expect(parsed).toBe(0);
    expect(p.select({ evt: { name: 'open' } }, () => { parsed++; return { evt: { name: 'open' }, file: { inode: 5 } }; })).toBe(true);
    expect(parsed).toBe(1);
  });
});

describe('compileSeclProgram: fields it refuses', () => {
  it('every unavailable field of the expression, in order, each with its span and the table\'s reason', () => {
    const text = 'container.tags == "a" && process.file.name == "x" && cgroup.version == 2';
    const errs = errors(text);
    expect(errs.map((e) => [e.code, text.slice(e.span.start, e.span.end)])).toEqual([
      ['unavailable-field', 'container.tags'],
      ['unavailable-field', 'cgroup.version'],
    ]);
    expect(errs[0]!.message).toBe(`'container.tags' cannot be evaluated on backend events: not written to the backend event`);
  });

  it('an assumed field is no error: its value is the documented one', () => {
    for (const [field, { value }] of Object.entries(ASSUMED_FIELDS)) {
      expect(SECL_FIELDS_LINUX[field]!.map.kind).toBe('unavailable');
      const p = program(`${field} == "${value}"`);
      expect(p.match({ evt: { name: 'exec' } })).toBe(true);
      expect(p.notes).toHaveLength(1);
    }
  });

  it('an unknown field gets "did you mean" in its message', () => {
    expect(errors('open.file.pth == "/"')[0]!.message).toBe("unknown field, constant or macro 'open.file.pth' — did you mean 'open.file.path'?");
  });
});

describe('variables: types from their use, values from the event', () => {
  it.each<[string, Record<string, unknown>]>([
    ['${a} == "x"', { a: { type: 'string' } }],
    ['${a} == process.pid', { a: { type: 'int' } }],
    ['process.pid in ${a}', { a: { type: 'int', array: true } }],
    ['"x" in ${a}', { a: { type: 'string', array: true } }],
    ['${a} + 1 > 2', { a: { type: 'int' } }],
    ['${a}', { a: { type: 'bool' } }],
    ['${a.length} > 2', { a: { type: 'string' } }],
    ['${a} == ${b} && ${b} == 3', { a: { type: 'int' }, b: { type: 'int' } }],
    ['exec.file.path == "/proc/${x}/maps"', { x: { type: 'string' } }],
    ['${process.pid} == 1', { 'process.pid': { type: 'int' } }],
    ['network.destination.ip in ${nets}', { nets: { type: 'ip', array: true } }],
  ])('%s types %j', (text, expected) => {
    expect(types(text)).toEqual(expected);
  });

  it.each<[string, string | undefined]>([
    ['process.correlation_key', 'process.variables.correlation_key'],
    ['container.x', 'container.variables.x'],
    ['cgroup.x.y', 'cgroup.variables.x.y'],
    ['global', 'evt.variables.global'],
    ['process.pid', 'process.pid'],
    ['builtins.uuid4', undefined],
  ])('${%s} is read at %s', (name, where) => {
    expect(variableSource(name).path?.join('.')).toBe(where);
  });

  it('reads strings, lists and exact integers; nothing where the event has none', () => {
    const v = variableSource('cgroup.pids');
    expect(v.read({ cgroup: { variables: { pids: [1, 2] } } })).toEqual([1, 2]);
    expect(v.read({ cgroup: { variables: {} } })).toBeUndefined();
    expect(v.read({})).toBeUndefined();
  });
});
