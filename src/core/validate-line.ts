/**
 * csm-validate's per-line step: a line's bytes -> its verdict (blank, selected
 * for a valid line, or invalid with every error located). The main thread, the
 * `--jobs` workers and the library call only this, so all give the same verdicts.
 */
import type { Line } from './lines.js';
import type { Validator } from './validate.js';
import { type EventKind, type JudgedBy, type Verdict, invalid, parseEvent } from './verdict.js';
import { type EventJudge, type Judgement, eventJudge, singleJudge } from './judge.js';
import { envelopeShape } from './hints.js';
import { fastCheckOf, fastScanned } from './fastcheck/line.js';

/** The verdict fields of a judgement (only those that say something), and the envelope of a line without evt.name. */
export function judgedBy(judgement: Judgement | undefined, value: unknown, kind: EventKind): JudgedBy {
  const by: JudgedBy = {};
  if (judgement?.schema !== undefined) by.schema = judgement.schema;
  if (judgement?.custom !== undefined) by.custom = judgement.custom;
  if (judgement !== undefined && judgement.warnings.length > 0) by.warnings = judgement.warnings;
  if (kind === null && judgement?.custom === undefined) {
    const envelope = envelopeShape(value);
    if (envelope !== undefined) by.envelope = envelope;
  }
  return by;
}

/** The problems listed per line; the rest are counted (core/judge.ts). */
export { MAX_ERRORS_PER_LINE } from './judge.js';

const judges = new WeakMap<Validator, EventJudge>();

/** A validator as an event judge (one schema, nothing tolerated), made once per validator. */
export function judgeOf(validator: Validator | EventJudge): EventJudge {
  if (typeof validator === 'function') return validator;
  let judge = judges.get(validator);
  if (judge === undefined) {
    judge = eventJudge(singleJudge(validator));
    judges.set(validator, judge);
  }
  return judge;
}

/**
 * One line against a validator, or an event judge (core/judge.ts: the schema
 * per event, custom agent events, tolerated problems as warnings). `render`
 * makes the `output` of a valid line (the library hands on the parsed event);
 * without it a valid verdict carries no output (the line itself goes on).
 */
export function validateLine<O = string>(
  line: Line,
  validator: Validator | EventJudge,
  maxLineBytes?: number,
  render?: (value: unknown) => O,
): Verdict<O> {
  // A line the byte-level fast path proves valid has the same verdict without being parsed (core/fastcheck).
  const fast = render === undefined && line.tooLong !== true && line.shapeProblem === undefined ? fastCheckOf(validator) : undefined;
  const proven = fast?.(line.bytes, maxLineBytes);
  if (proven !== undefined) return proven;
  const parsed = parseEvent(line, maxLineBytes);
  if ('verdict' in parsed) return parsed.verdict;
  const { value, kind } = parsed;
  // A line the fast path scanned without proving it is most likely invalid: straight to the full report.
  const judgement = judgeOf(validator)(value, parsed.text, fast !== undefined && fastScanned());
  const by = judgedBy(judgement, value, kind);
  if (judgement.errors.length > 0) return invalid(kind, judgement.errors, by, judgement.omitted);
  return render === undefined ? { status: 'selected', kind, ...by } : { status: 'selected', kind, ...by, output: render(value) };
}
