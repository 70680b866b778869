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

export type LineVerdict =
  | { status: 'blank' }
  /** `kind`: evt.name ('(none)' without one) when the line is a JSON object. */
  | { status: 'valid'; kind: string | undefined }
  | { status: 'invalid'; kind: string | undefined; column: number | undefined; errors: Issue[] };

export function checkLine(line: Line, validator: Validator, maxLineBytes: number): LineVerdict {
  const parsed = parseLine(line, maxLineBytes);
  if (parsed.kind === 'blank') return { status: 'blank' };
  if (parsed.kind === 'invalid') {
    return { status: 'invalid', kind: undefined, column: parsed.issue.column, errors: [parsed.issue] };
  }
  const kind = kindName(parsed.value);
  const issues = validator.validate(parsed.value);
  if (issues.length === 0) return { status: 'valid', kind };
  locateIssues(parsed.text, issues);
  return { status: 'invalid', kind, column: issues[0]!.column, errors: issues };
}
