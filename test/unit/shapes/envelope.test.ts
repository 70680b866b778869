import { describe, expect, it } from 'vitest';
import { type JsonValue, stringifyJson } from '../../../src/core/json.js';
import type { Line } from '../../../src/core/lines.js';
import { formatPath, parsePath } from '../../../src/core/path.js';
import { compileProjection } from '../../../src/core/project.js';
import { envelopeOf, resolveEnvelopePath } from '../../../src/core/shapes/envelope.js';
import { compileQuery, printQuery } from '../../../src/query/index.js';

const EVENT = '{"evt":{"name":"open"},"host":"event-host"}';
const ARCHIVE = `{"_id":"AgAAAZ","date":"2024-08-01T06:00:00.000Z","host":"web-1","status":"warn","attributes":${EVENT},"tags":["env:prod","team:sec"],"n":18446744073709551615}`;
const API = `{"id":"AQ","type":"log","attributes":{"attributes":${EVENT},"timestamp":"2024-08-01T06:00:00.000Z","host":"web-2","tags":["env:dev"]}}`;

function lineOf(record: string, envelope: 'archive' | 'api'): Line {
  const bytes = Buffer.from(record);
  const at = record.indexOf(EVENT);
  return { line: 1, offset: 0, bytes: bytes.subarray(at, at + EVENT.length), record: bytes, envelope };
}

describe('envelope paths ($host)', () => {
  it('parse with their $ and print back with it', () => {
    const p = parsePath('$tags[0]');
    expect(p.ok && p.path.envelope).toBe(true);
    expect(p.ok && formatPath(p.path)).toBe('$tags[0]');
    const q = compileQuery('$host == "web-1" and host == "x"');
    expect(q.ok && printQuery(q.ast)).toBe('$host == "web-1" and host == "x"');
  });

  it('are checked against the envelope fields, with a did-you-mean that keeps the $', () => {
    const p = parsePath('$hots');
    const r = p.ok ? resolveEnvelopePath(p.path) : undefined;
    expect(r?.ok).toBe(false);
    expect(r !== undefined && !r.ok && r.error.suggestion).toBe('$host');
    expect(parsePath('$').ok).toBe(false);
    expect(parsePath('$ host').ok).toBe(false);
  });

  it('an archive and an API record give the same names (_id/id, date/timestamp), without the event', () => {
    expect(envelopeOf(lineOf(ARCHIVE, 'archive'))).toMatchObject({ _id: 'AgAAAZ', id: 'AgAAAZ', date: '2024-08-01T06:00:00.000Z', timestamp: '2024-08-01T06:00:00.000Z', host: 'web-1' });
    expect(envelopeOf(lineOf(API, 'api'))).toMatchObject({ _id: 'AQ', id: 'AQ', type: 'log', date: '2024-08-01T06:00:00.000Z', host: 'web-2', tags: ['env:dev'] });
    expect(envelopeOf(lineOf(ARCHIVE, 'archive'))).not.toHaveProperty('attributes');
    expect(envelopeOf({ line: 1, offset: 0, bytes: Buffer.from(EVENT) })).toBeUndefined();
  });

  it('a query tests the envelope for $ paths and the event for the others', () => {
    const env = envelopeOf(lineOf(ARCHIVE, 'archive'));
    const event = JSON.parse(EVENT) as JsonValue;
    const match = (q: string): boolean => {
      const c = compileQuery(q);
      if (!c.ok) throw new Error(q);
      return c.match(event, env);
    };
    expect(match('$host == "web-1"')).toBe(true);
    expect(match('host == "event-host" and $host != "event-host"')).toBe(true);
    expect(match('$tags == "team:sec"')).toBe(true);
    expect(match('exists($service)')).toBe(false);
    expect(match('$service != "x"')).toBe(true);
    const c = compileQuery('$host == "web-1"');
    expect(c.ok && c.match(event)).toBe(false);
  });

  it('a projection puts $ fields beside the event fields, in the order given, digits exact', () => {
    const paths = ['$host', 'evt.name', '$n', '$tags[1]'].map((f) => {
      const p = parsePath(f);
      if (!p.ok) throw new Error(f);
      return p.path;
    });
    const projector = compileProjection(paths);
    const env = envelopeOf(lineOf(ARCHIVE, 'archive'));
    expect(stringifyJson(projector.nested(JSON.parse(EVENT) as JsonValue, env))).toBe('{"$host":"web-1","evt":{"name":"open"},"$n":18446744073709551615,"$tags":["team:sec"]}');
    expect(projector.names).toEqual(['$host', 'evt.name', '$n', '$tags[1]']);
    expect(projector.columns(JSON.parse(EVENT) as JsonValue, env).map((v) => (v === undefined ? v : stringifyJson(v)))).toEqual(['"web-1"', '"open"', '18446744073709551615', '"team:sec"']);
  });
});
