/**
 * One line's bytes -> blank, a line-level problem (encoding, JSON, size), or a
 * parsed JSON value. Shared by every tool, so they agree on what a line is.
 */
import { isUtf8 } from 'node:buffer';
import type { Issue } from './diagnostic.js';
import type { Line } from './lines.js';
import { locateJsonError } from './json/parse.js';
import { firstInvalidUtf8, utf8ColumnAt } from './utf8.js';
import { locatePointer } from './locate.js';
import { columnAt } from './text.js';

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

/** Decodes and parses one line (RFC 8259: one JSON value, UTF-8). */
export function parseLine(line: Line, maxLineBytes?: number): ParsedLine {
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

/** Adds the column each schema issue points at, found in the line's text. */
export function locateIssues(text: string, issues: Issue[]): Issue[] {
  for (const issue of issues) {
    let offset: number;
    if (issue.code === 'additionalProperties' && typeof issue.params.additionalProperty === 'string') {
      offset = locatePointer(
        text,
        `${issue.instancePath}/${escapePointerToken(issue.params.additionalProperty)}`,
        { key: true },
      );
    } else {
      offset = locatePointer(text, issue.instancePath);
    }
    if (offset >= 0) issue.column = columnAt(text, offset);
  }
  return issues;
}
