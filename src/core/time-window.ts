/**
 * csm-filter's time window (`--since`, `--until`, `--time-field`): the TIME
 * arguments, read once at the start into RFC 3339 texts (plain data, for the
 * `--jobs` workers), and the test of one event against the window.
 *
 * The window is half-open: since <= t < until. An event whose time field holds
 * no valid RFC 3339 date-time (missing, null, another type, or an invalid text)
 * is outside any window: `untimed`, counted apart. Instants compare exactly
 * (`compareInstants`): any offset, fractions of any length. The stream is
 * tested line by line, never sorted: an event out of time order is selected if
 * its own time is in the window.
 */
import { type Instant, compareInstants, isRfc3339DateTime, parseRfc3339Instant } from './formats.js';
import { type JsonValue, isJsonObject } from './json/value.js';
import type { Segment } from './path.js';

/** The window as plain data: the field's path text and the bounds as RFC 3339 texts. */
export interface TimeWindowSpec {
  /** The date-time field tested (csm-filter: `date` unless `--time-field`). */
  field: string;
  /** Inclusive lower bound, an RFC 3339 date-time. */
  since?: string;
  /** Exclusive upper bound, an RFC 3339 date-time. */
  until?: string;
}

export type WindowVerdict = 'in' | 'out' | 'untimed';

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const RELATIVE = /^([0-9]{1,9})([smhdw])$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A TIME argument as an RFC 3339 date-time, or null when it is none of:
 * - an RFC 3339 date-time (`2024-08-01T06:00:00Z`, `2024-08-01t08:00:00.5+02:00`), kept as is;
 * - a date alone (`2024-08-01`): its midnight UTC;
 * - a duration before `nowMs` (`90s`, `15m`, `2h`, `7d`, `2w`): now minus it, to the millisecond.
 */
export function resolveTimeArgument(text: string, nowMs: number): string | null {
  if (isRfc3339DateTime(text)) return text;
  if (FULL_DATE.test(text)) {
    const iso = `${text}T00:00:00Z`;
    return isRfc3339DateTime(iso) ? iso : null;
  }
  const m = RELATIVE.exec(text);
  if (m !== null) {
    const t = nowMs - Number(m[1]) * UNIT_MS[m[2]!]!;
    const d = new Date(t);
    // toISOString needs years 0-9999 to stay RFC 3339
    if (!Number.isFinite(t) || d.getUTCFullYear() < 0 || d.getUTCFullYear() > 9999) return null;
    return d.toISOString();
  }
  return null;
}

/** Why `--since`/`--until`/`--time-field` (or the library's since/until/timeField) make no window. */
export type WindowProblem =
  | { kind: 'field-alone' }
  | { kind: 'not-a-time'; which: 'since' | 'until'; text: string }
  | { kind: 'empty'; since: string; until: string };

/**
 * The window the bounds as given make, read against one `nowMs`: undefined
 * when there is no bound; a problem for a field without a bound, a bound that
 * is not a time (resolveTimeArgument), or since not before until. Each caller
 * words the problem with its own names.
 */
export function timeWindowSpec(
  given: { since?: string; until?: string; field?: string },
  nowMs: number,
): { ok: true; spec: TimeWindowSpec | undefined } | { ok: false; problem: WindowProblem } {
  if (given.since === undefined && given.until === undefined) {
    return given.field !== undefined ? { ok: false, problem: { kind: 'field-alone' } } : { ok: true, spec: undefined };
  }
  const bounds: { since?: string; until?: string } = {};
  for (const which of ['since', 'until'] as const) {
    const text = given[which];
    if (text === undefined) continue;
    const t = resolveTimeArgument(text, nowMs);
    if (t === null) return { ok: false, problem: { kind: 'not-a-time', which, text } };
    bounds[which] = t;
  }
  if (bounds.since !== undefined && bounds.until !== undefined) {
    if (compareInstants(parseRfc3339Instant(bounds.since)!, parseRfc3339Instant(bounds.until)!) >= 0) {
      return { ok: false, problem: { kind: 'empty', since: bounds.since, until: bounds.until } };
    }
  }
  return { ok: true, spec: { field: given.field ?? 'date', ...bounds } };
}

/** The reached values of `segments` in `root` (arrays fanned out), passed to `visit` until it returns true. */
function someValue(v: JsonValue, segments: readonly Segment[], i: number, visit: (x: JsonValue) => boolean): boolean {
  if (i === segments.length) {
    if (!Array.isArray(v)) return visit(v);
    for (const x of v) if (visit(x)) return true;
    return false;
  }
  const seg = segments[i]!;
  if (seg.kind === 'key') {
    if (!isJsonObject(v) || !Object.hasOwn(v, seg.key)) return false;
    const next = v[seg.key];
    return next !== undefined && someValue(next, segments, i + 1, visit);
  }
  if (!Array.isArray(v)) return false;
  if (seg.kind === 'index') {
    const k = seg.index >= 0 ? seg.index : v.length + seg.index;
    return k >= 0 && k < v.length && someValue(v[k]!, segments, i + 1, visit);
  }
  for (const x of v) if (someValue(x, segments, i + 1, visit)) return true;
  return false;
}

/**
 * The window's test on an event: `in` when some date-time the path reaches is
 * in it, `untimed` when the path reaches no valid date-time, else `out`.
 * Throws RangeError for a bound that is not an RFC 3339 date-time.
 */
export function compileTimeWindow(spec: TimeWindowSpec, segments: readonly Segment[]): (event: JsonValue) => WindowVerdict {
  const bound = (text: string | undefined): Instant | undefined => {
    if (text === undefined) return undefined;
    const t = parseRfc3339Instant(text);
    if (t === null) throw new RangeError(`not an RFC 3339 date-time: ${JSON.stringify(text)}`);
    return t;
  };
  const since = bound(spec.since);
  const until = bound(spec.until);
  return (event) => {
    let timed = false;
    const inside = someValue(event, segments, 0, (v) => {
      if (typeof v !== 'string') return false;
      const t = parseRfc3339Instant(v);
      if (t === null) return false;
      timed = true;
      return (since === undefined || compareInstants(t, since) >= 0) && (until === undefined || compareInstants(t, until) < 0);
    });
    return inside ? 'in' : timed ? 'out' : 'untimed';
  };
}
