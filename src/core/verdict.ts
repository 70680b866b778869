/**
 * What a tool's per-line step says of one line: the value every line of every
 * tool turns into (in the main thread, in a `--jobs` worker, in the library),
 * and the only thing the sinks downstream see besides the line's bytes.
 * Plain data, so that it crosses threads by structured clone.
 */
import type { Issue } from './diagnostic.js';
import type { Line } from './lines.js';
import { parseLine } from './parse-line.js';
import { isJsonObject } from './json/value.js';

/**
 * The event kind (`evt.name`) of a parsed line: the name; `null` for a JSON
 * object without one (counted as `(none)`); `undefined` for a line that is not
 * a JSON object (not an event: not counted).
 */
export type EventKind = string | null | undefined;

export function eventKind(value: unknown): EventKind {
  if (!isJsonObject(value)) return undefined;
  const evt = Object.hasOwn(value, 'evt') ? value.evt : undefined;
  if (isJsonObject(evt) && Object.hasOwn(evt, 'name') && typeof evt.name === 'string') return evt.name;
  return null;
}

/**
 * - `blank`: only whitespace; counted, never reported.
 * - `invalid`: not JSON, not UTF-8, too long, or (when the tool validates)
 *   against the schema; `column` is that of the first error.
 * - `skipped`: a good line the selection did not take (csm-filter); `untimed`
 *   when a time window (`--since`/`--until`) left it out for want of a valid
 *   date-time at the time field (counted apart in the summary).
 * - `selected`: a good line that goes on: a valid line of csm-validate, a
 *   selected event of csm-filter. `output`, when present, is what to write
 *   instead of the line itself (a `--field` projection, already rendered).
 */
export type Verdict<O = string> =
  | { status: 'blank' }
  | ({ status: 'invalid'; kind: EventKind; column: number | undefined; errors: Issue[]; omitted?: number } & JudgedBy)
  | ({ status: 'skipped'; kind: EventKind; untimed?: true } & JudgedBy)
  | ({ status: 'selected'; kind: EventKind; output?: O } & JudgedBy);

/**
 * What judged an event line, when it was judged (core/judge.ts): the schema,
 * or the agent custom event it is; the problems tolerated as `warnings`
 * (`--allow-unknown-keys`, `--ignore`); and, for a line without `evt.name`,
 * the Datadog envelope it looks like (core/hints.ts).
 */
export interface JudgedBy {
  schema?: string;
  custom?: string;
  warnings?: Issue[];
  envelope?: 'archive' | 'api';
}

export const BLANK: Verdict<never> = { status: 'blank' };

/**
 * The verdict of a line that fails with `errors` (the first one's column is the
 * line's); `by`: what judged it; `omitted`: how many more errors it had, beyond
 * the per-line cap.
 */
export function invalid(kind: EventKind, errors: Issue[], by?: JudgedBy, omitted = 0): Verdict<never> {
  const verdict = { status: 'invalid' as const, kind, column: errors[0]?.column, errors, ...by };
  return omitted > 0 ? { ...verdict, omitted } : verdict;
}

/** A line as both per-line steps start on it: already judged (blank, not JSON), or an event to judge. */
export type ParsedEvent = { verdict: Verdict<never> } | { value: unknown; text: string; kind: EventKind };

export function parseEvent(line: Line, maxLineBytes?: number, notJson = false): ParsedEvent {
  const parsed = parseLine(line, maxLineBytes, notJson);
  if (parsed.kind === 'blank') return { verdict: BLANK };
  if (parsed.kind === 'invalid') return { verdict: invalid(undefined, [parsed.issue]) };
  return { value: parsed.value, text: parsed.text, kind: eventKind(parsed.value) };
}
