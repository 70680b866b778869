import { describe, expect, it } from 'vitest';
import { compileTolerance, customEventId, eventJudge, parseIgnoreRule, pointerGlob, singleJudge } from '../../src/core/judge.js';
import { UsageError } from '../../src/core/diagnostic.js';
import type { Issue } from '../../src/core/diagnostic.js';
import { compileValidator } from '../../src/core/validate.js';
import { AGENT_CUSTOM_EVENTS } from '../../src/core/kinds.js';

const issue = (code: string, instancePath: string, params: Record<string, unknown> = {}): Issue => ({ code, instancePath, schemaPath: '', params, message: code });

describe('--ignore KEYWORD[:POINTER-GLOB]', () => {
  it('reads a keyword alone, or with a pointer glob', () => {
    expect(parseIgnoreRule('type')).toEqual({ keyword: 'type' });
    expect(parseIgnoreRule('type:/dns/response')).toEqual({ keyword: 'type', pointer: '/dns/response' });
    expect(parseIgnoreRule('required:')).toEqual({ keyword: 'required', pointer: '' });
  });

  it.each([
    ['typo', /unknown keyword 'typo' — did you mean 'type'\?/],
    ['json', /'json' is a problem of the line/],
    ['type:dns/response', /not a JSON pointer/],
  ])('refuses %j with a reason', (text, message) => {
    expect(() => parseIgnoreRule(text)).toThrow(UsageError);
    expect(() => parseIgnoreRule(text)).toThrow(message);
  });

  it.each([
    ['/dns/response', '/dns/response', true],
    ['/dns/response', '/dns/response/code', false],
    ['/process/ancestors/*/credentials', '/process/ancestors/12/credentials', true],
    ['/process/ancestors/*/credentials', '/process/ancestors/1/2/credentials', false],
    ['/process/**/credentials', '/process/credentials', true],
    ['/process/**/credentials', '/process/parent/credentials', true],
    ['/**', '', true],
    ['/**', '/a/b', true],
    ['/a.b', '/aXb', false],
  ])('pointer glob %j on %j: %s', (glob, pointer, matches) => {
    expect(pointerGlob(glob)(pointer)).toBe(matches);
  });

  it('addresses a missing or unknown key by its own pointer too', () => {
    const tolerated = compileTolerance({ allowUnknownKeys: false, ignore: [{ keyword: 'required', pointer: '/process/**/auid' }] });
    expect(tolerated(issue('required', '/process/credentials', { missingProperty: 'auid' }))).toBe(true);
    expect(tolerated(issue('required', '/process/credentials', { missingProperty: 'uid' }))).toBe(false);
    expect(tolerated(issue('type', '/process/credentials/auid'))).toBe(false);
  });

  it('--allow-unknown-keys tolerates additionalProperties only', () => {
    const tolerated = compileTolerance({ allowUnknownKeys: true, ignore: [] });
    expect(tolerated(issue('additionalProperties', '/evt', { additionalProperty: 'x' }))).toBe(true);
    expect(tolerated(issue('required', '', { missingProperty: 'agent' }))).toBe(false);
  });
});

describe('eventJudge', () => {
  const validator = compileValidator({
    type: 'object',
    required: ['agent'],
    additionalProperties: false,
    properties: { agent: { type: 'object' }, dns: { type: 'object', properties: { response: { type: 'object' } } } },
  });

  it('splits problems into errors and warnings, and names the schema', () => {
    const judge = eventJudge(singleJudge(validator, 'linux-2025-09'), { allowUnknownKeys: true, ignore: [{ keyword: 'type', pointer: '/dns/response' }] });
    const text = '{"agent":{},"dns":{"response":null},"extra":1}';
    const j = judge(JSON.parse(text), text);
    expect(j.schema).toBe('linux-2025-09');
    expect(j.errors).toEqual([]);
    expect(j.warnings.map((w) => [w.code, w.instancePath, w.column])).toEqual([
      ['additionalProperties', '', text.indexOf('"extra"') + 1],
      ['type', '/dns/response', text.indexOf('null') + 1],
    ]);
  });

  it('leaves what is not tolerated an error', () => {
    const judge = eventJudge(singleJudge(validator), { allowUnknownKeys: true, ignore: [] });
    const j = judge({ dns: { response: null } }, '{"dns":{"response":null}}');
    expect(j.schema).toBeUndefined();
    expect(j.errors.map((e) => e.code).sort()).toEqual(['required', 'type']);
  });

  it('does not judge the agent custom events as CSM events', () => {
    const judge = eventJudge(singleJudge(validator, 'x'));
    for (const id of AGENT_CUSTOM_EVENTS) {
      const value = { agent: { rule_id: id }, policies: 'anything' };
      expect(judge(value, JSON.stringify(value))).toEqual({ custom: id, errors: [], warnings: [], omitted: 0 });
    }
    expect(customEventId({ agent: { rule_id: 'shell_exec' } })).toBeUndefined();
    expect(customEventId({ agent: { rule_id: 5 } })).toBeUndefined();
  });
});
