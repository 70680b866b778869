import { describe, expect, it } from 'vitest';
import { compileRule, fieldsFrom } from '../../../src/secl/eval.js';
import { AGENT_CASE_INSENSITIVE_FIELDS, SECL_LEGACY_FIELDS, isAgentGlobField } from '../../../src/secl/model.js';
import * as secl from '../../../src/secl/index.js';
import { OPTIONS, run, source } from './helpers.js';

describe('compiling SECL', () => {
  it('names the fields a rule reads', () => {
    const r = compileRule('process.file.name == "a" && (open.flags & O_CREAT > 0 || process.file.name == "b")', OPTIONS);
    expect(r.ok && r.value.fields).toEqual(['open.flags', 'process.file.name']);
  });

  it('suggests the closest field for an unknown one, and points at it', () => {
    const r = compileRule('process.pid == 1 && process.file.nam == "a"', OPTIONS);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ code: 'unknown-field', suggestion: 'process.file.name', span: { start: 20, end: 36 } });
  });

  it('points a type error at the operand', () => {
    const r = compileRule('process.pid == "1"', OPTIONS);
    expect(!r.ok && r.errors[0]).toMatchObject({ code: 'type', span: { start: 15, end: 18 }, expected: 'an integer', found: 'a string' });
  });

  it('reports a macro that does not compile at its use, with the reason', () => {
    const r = compileRule('process.pid == 1 && broken', OPTIONS);
    expect(!r.ok && r.errors[0]).toMatchObject({ code: 'macro', span: { start: 20, end: 26 } });
    expect(!r.ok && r.errors[0].message).toContain("macro 'broken' does not compile");
  });

  it('points a regexp error at the regexp inside a list', () => {
    const r = compileRule('process.file.name in ["a", r"(b"]', OPTIONS);
    expect(!r.ok && r.errors[0]).toMatchObject({ code: 'regex', span: { start: 27, end: 32 } });
  });

  it('reports a rule that is not a boolean', () => {
    const r = compileRule('process.pid + 1', OPTIONS);
    expect(!r.ok && r.errors[0].message).toContain('a rule must be a boolean expression');
  });

  it('takes a `values:` macro as a list of plain strings (NewStringValuesMacro: no patterns)', () => {
    const macros = new Map([['names', secl.valuesMacro(['bash', 'sh*'])]]);
    const r = compileRule('process.file.name in names', { ...OPTIONS, macros });
    expect(r.ok && r.value.match(source({ 'process.file.name': 'bash' }))).toBe(true);
    expect(r.ok && r.value.match(source({ 'process.file.name': 'shell' }))).toBe(false);
  });

  it('never throws, whatever the text', () => {
    for (const s of ['', '(', '"', 'a in [', '${', 'x == 1.2.3', '[1, 2]', 'process.pid in ["a"]']) {
      const r = compileRule(s, OPTIONS);
      expect(r.ok).toBe(false);
    }
  });

  it('takes `now` from the event, read once per evaluation', () => {
    const r = compileRule('exec.file.change_time < 10s && process.created_at < 10s', OPTIONS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    let reads = 0;
    const ev = source({ 'exec.file.change_time': 95n, 'process.created_at': 96n });
    const counted = { ...ev, now: () => { reads++; return 100n; } };
    expect(r.value.match(counted)).toBe(true);
    expect(reads).toBe(1);
  });
});

describe("the agent's model facts (model.go, model_unix.go, legacy_secl.go)", () => {
  it('compares dns.question.name case-insensitively by default', () => {
    expect(AGENT_CASE_INSENSITIVE_FIELDS.has('dns.question.name')).toBe(true);
    const opts = { fields: fieldsFrom({ 'dns.question.name': { type: 'string' } }) };
    const r = compileRule('dns.question.name == "EXAMPLE.org"', opts);
    expect(r.ok && r.value.match(source({ 'dns.question.name': 'example.ORG' }))).toBe(true);
  });

  it.each([
    ['exec.file.path', true],
    ['process.ancestors.file.path', true],
    ['link.file.destination.path', true],
    ['exec.file.name', false],
    ['mount.mountpoint.path', false],
  ])('%s is a glob field: %s', (name, want) => {
    expect(isAgentGlobField(name)).toBe(want);
  });

  it('replaces legacy field names as the agent does (chmod.filename is chmod.file.path)', () => {
    expect(SECL_LEGACY_FIELDS['chmod.filename']).toBe('chmod.file.path');
    const opts = { fields: fieldsFrom({ 'open.file.path': { type: 'string', glob: true } }) };
    const r = compileRule('open.filename == ~"/etc/*"', opts);
    expect(r.ok && r.value.fields).toEqual(['open.file.path']);
    expect(r.ok && r.value.match(source({ 'open.file.path': '/etc/passwd' }))).toBe(true);
  });

  it('exposes the whole API from src/secl/index.ts', () => {
    expect(typeof secl.parseRule).toBe('function');
    expect(typeof secl.compileRule).toBe('function');
    expect(secl.SECL_CONSTANTS.get('O_CREAT')).toBe(64n);
    expect(run('open.flags & O_CREAT > 0', { 'open.flags': 64 })).toBe(true);
  });
});
