/**
 * One line's bytes -> blank, a line-level problem (encoding, JSON, size), or a
 * parsed JSON value. Shared by every tool, so they agree on what a line is.
 */
import { isUtf8 } from 'node:buffer';
import type { Issue } from './diagnostic.js';
import { DEFAULT_MAX_LINE_BYTES, type Line } from './lines.js';
import { BYTES_PER_VALUE, MIN_LINE_VALUES, countValues, maxLineValues } from './line-cost.js';
import { locateJsonError } from './json/parse.js';
import { firstInvalidUtf8, utf8ColumnAt } from './utf8.js';
import { type PointerQuery, locatePointers } from './locate.js';
import { codePointCount } from './text.js';

export type ParsedLine =
  | { kind: 'blank' }
  | { kind: 'invalid'; issue: Issue }
  | { kind: 'json'; value: unknown; text: string };

const BLANK: ParsedLine = { kind: 'blank' };

/** True when the bytes are only JSON whitespace (space, tab, CR): a blank line. */
export function isBlank(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  }
  return true;
}

export function lineIssue(code: string, message: string, column?: number, params: Record<string, unknown> = {}): Issue {
  const issue: Issue = { code, instancePath: '', schemaPath: '', params, message };
  if (column !== undefined) issue.column = column;
  return issue;
}

/**
 * Decodes and parses one line (RFC 8259: one JSON value, UTF-8). `notJson`:
 * the caller's own pass over the bytes (core/bytes) found a syntax error, so
 * the error is located without a JSON.parse that would throw (if the locator
 * finds none after all, JSON.parse decides as always).
 */
export function parseLine(line: Line, maxLineBytes?: number, notJson = false): ParsedLine {
  if (line.tooLong === true) {
    return {
      kind: 'invalid',
      issue: lineIssue(
        'size',
        `line is ${line.length ?? 0} bytes, longer than the limit of ${maxLineBytes ?? 'max'} bytes (--max-line-bytes)`,
        undefined,
        { length: line.length, limit: maxLineBytes },
      ),
    };
  }
  if (line.shapeProblem !== undefined) return { kind: 'invalid', issue: lineIssue('shape', line.shapeProblem, 1) };
  const bytes = line.bytes;
  const first = bytes[0];
  if (first !== 0x7b && isBlank(bytes)) return BLANK;
  const text = bytes.toString('utf8');
  // Node replaces invalid UTF-8 with U+FFFD; only then is the (native, fast) check needed.
  if (text.includes('\uFFFD') && !isUtf8(bytes)) {
    const at = firstInvalidUtf8(bytes);
    const column = utf8ColumnAt(bytes, 0, at);
    return {
      kind: 'invalid',
      issue: lineIssue(
        'encoding',
        `invalid UTF-8 byte 0x${bytes[at]!.toString(16).padStart(2, '0').toUpperCase()} at byte ${at + 1}`,
        column,
        { byteOffset: at },
      ),
    };
  }
  const valueLimit = maxLineValues(maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  if (countValues(bytes, valueLimit) > valueLimit) {
    return {
      kind: 'invalid',
      issue: lineIssue(
        'values',
        `line holds more than ${valueLimit} JSON values (objects, arrays, members, elements), the most one line may hold (--max-line-bytes / ${BYTES_PER_VALUE}, at least ${MIN_LINE_VALUES})`,
        undefined,
        { limit: valueLimit },
      ),
    };
  }
  const known = notJson ? locateJsonError(text) : null;
  if (known !== null) return { kind: 'invalid', issue: lineIssue('json', known.message, known.column) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const err = locateJsonError(text);
    const column = err?.column ?? 1;
    return {
      kind: 'invalid',
      issue: lineIssue('json', err?.message ?? 'invalid JSON', column),
    };
  }
  return { kind: 'json', value, text };
}

function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Adds the column each schema issue points at, found in the line's text: one
 * pass over the text for all of them (locatePointers), then one more to count
 * code points up to each position in order, so a line with 100,000 errors
 * costs two scans, not 100,000.
 */
export function locateIssues(text: string, issues: Issue[]): Issue[] {
  const queries: PointerQuery[] = issues.map((issue) =>
    issue.code === 'additionalProperties' && typeof issue.params.additionalProperty === 'string'
      ? { pointer: `${issue.instancePath}/${escapePointerToken(issue.params.additionalProperty)}`, key: true }
      : { pointer: issue.instancePath },
  );
  const offsets = locatePointers(text, queries);
  const found = issues.map((_, n) => n).filter((n) => offsets[n]! >= 0);
  found.sort((a, b) => offsets[a]! - offsets[b]!);
  let at = 0;
  let column = 1;
  for (const n of found) {
    column += codePointCount(text, at, offsets[n]!);
    at = offsets[n]!;
    issues[n]!.column = column;
  }
  return issues;
}
