/**
 * csm-validate's per-line step: a line's bytes -> its verdict (blank, selected
 * for a valid line, or invalid with every error located). The main thread, the
 * `--jobs` workers and the library call only this, so all give the same verdicts.
 */
import type { Issue } from './diagnostic.js';
import type { Line } from './lines.js';
import { locateIssues } from './parse-line.js';
import type { Validator } from './validate.js';
import { valueForValidation } from './exact-numbers.js';
import { type Verdict, invalid, parseEvent } from './verdict.js';

/**
 * Every schema problem of a parsed line, located in its text; numbers are
 * judged as the text writes them (exact-numbers.ts). The one validation step
 * of csm-validate, csm-filter --validate and the library.
 */
export function validateParsed(validator: Validator, value: unknown, text: string): Issue[] {
  const issues = validator.validate(valueForValidation(value, text));
  return issues.length === 0 ? issues : locateIssues(text, issues);
}

/**
 * One line against a validator. `render` makes the `output` of a valid line
 * (the library hands on the parsed event); without it a valid verdict carries
 * no output (the line itself goes on).
 */
export function validateLine<O = string>(
  line: Line,
  validator: Validator,
  maxLineBytes?: number,
  render?: (value: unknown) => O,
): Verdict<O> {
  const parsed = parseEvent(line, maxLineBytes);
  if ('verdict' in parsed) return parsed.verdict;
  const { value, kind } = parsed;
  const issues = validateParsed(validator, value, parsed.text);
  if (issues.length > 0) return invalid(kind, issues);
  return render === undefined ? { status: 'selected', kind } : { status: 'selected', kind, output: render(value) };
}
