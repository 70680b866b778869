/**
 * Random event streams for --count-by property tests, and the reference count
 * they are checked against (written without the code under test).
 */
import fc from 'fast-check';
import { type JsonValue, JsonNumber, stringifyJson } from '../../src/core/json.js';

/** A random event: kind, uid (small, uint64, a string of digits, or missing) and flags (a list, or missing). */
export const eventArb: fc.Arbitrary<RandomEvent> = fc.record(
  {
    kind: fc.constantFrom('exec', 'open', 'chmod'),
    uid: fc.oneof(
      fc.integer({ min: 0, max: 3 }).map((n) => ({ text: String(n), ref: `n:${n}` })),
      fc.constantFrom(18446744073709551615n, 18446744073709551614n, 9007199254740993n).map((n) => ({ text: String(n), ref: `n:${n}` })),
      fc.integer({ min: 0, max: 3 }).map((n) => ({ text: `"${n}"`, ref: `s:${n}` })),
    ),
    flags: fc.uniqueArray(fc.constantFrom('O_RDONLY', 'O_WRONLY', 'O_CREAT'), { maxLength: 3 }).chain((u) =>
      fc.array(fc.constantFrom(...(u.length > 0 ? u : ['O_RDONLY'])), { maxLength: 4 }).map((a) => (u.length > 0 ? a : [])),
    ),
  },
  { requiredKeys: ['kind'] },
);
export type RandomEvent = { kind: string; uid?: { text: string; ref: string }; flags?: string[] };

export function eventLine(e: RandomEvent): string {
  const parts = [`"evt":{"name":"${e.kind}"}`];
  const file = e.flags !== undefined ? `,"file":{"flags":${JSON.stringify(e.flags)}}` : '';
  if (e.uid !== undefined) parts.push(`"process":{"credentials":{"uid":${e.uid.text}}}`);
  return `{${parts.join(',')}${file}}`;
}

/** The reference: events per (kind, uid, flag) tuple, each distinct tuple once per event, written without the code under test. */
export function referenceCount(events: RandomEvent[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of events) {
    const flags = e.flags === undefined ? ['missing'] : e.flags.length === 0 ? ['[]'] : [...new Set(e.flags)];
    for (const f of flags) {
      const key = `${e.kind}|${e.uid?.ref ?? 'missing'}|${f}`;
      out.set(key, (out.get(key) ?? 0) + 1);
    }
  }
  return out;
}

/** A group as the reference writes its key (values as JSON texts from the output, or `missing`). */
export function refKey(values: (JsonValue | undefined)[]): string {
  const [kind, uid, flag] = values;
  const u = uid === undefined ? 'missing' : typeof uid === 'string' ? `s:${uid}` : `n:${uid instanceof JsonNumber ? uid.raw : String(uid)}`;
  const f = flag === undefined ? 'missing' : Array.isArray(flag) ? stringifyJson(flag) : String(flag);
  return `${kind as string}|${u}|${f}`;
}

