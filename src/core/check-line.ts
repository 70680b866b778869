/**
 * One line -> its verdict for csm-validate: blank, valid, or invalid with every
 * error located. Pure and shared by the in-process path and the worker threads
 * of `--jobs`, so both give the same verdicts.
 */
import type { Issue } from './diagnostic.js';
import type { Line } from './lines.js';
import { locateIssues, parseLine } from './parse-line.js';
import { kindName } from './stats.js';
import type { Validator } from './validate.js';
import { valueForValidation } from './exact-numbers.js';

export type LineVerdict =
  | { status: 'blank' }
  /** `kind`: evt.name ('(none)' without one) when the line is a JSON object. */
  | { status: 'valid'; kind: string | undefined }
  | { status: 'invalid'; kind: string | undefined; column: number | undefined; errors: Issue[] };

/**
 * Every schema problem of a parsed line, located in its text; numbers are
 * judged as the text writes them (exact-numbers.ts). The one validation step
 * of csm-validate, csm-filter --validate and the library.
 */
export function validateParsed(validator: Validator, value: unknown, text: string): Issue[] {
  const issues = validator.validate(valueForValidation(value, text));
  return issues.length === 0 ? issues : locateIssues(text, issues);
}

export function checkLine(line: Line, validator: Validator, maxLineBytes: number): LineVerdict {
  const parsed = parseLine(line, maxLineBytes);
  if (parsed.kind === 'blank') return { status: 'blank' };
  if (parsed.kind === 'invalid') {
    return { status: 'invalid', kind: undefined, column: parsed.issue.column, errors: [parsed.issue] };
  }
  const kind = kindName(parsed.value);
  const issues = validateParsed(validator, parsed.value, parsed.text);
  if (issues.length === 0) return { status: 'valid', kind };
  return { status: 'invalid', kind, column: issues[0]!.column, errors: issues };
}
