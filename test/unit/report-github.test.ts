import { describe, expect, test } from 'vitest';
import type { LineReport } from '../../src/core/diagnostic.js';
import { makeChalk } from '../../src/print/color.js';
import { ERROR_FORMATS, formatGithubReport, formatReport, githubEscape } from '../../src/print/report.js';

describe('github error format', () => {
  test('is one of the error formats', () => {
    expect(ERROR_FORMATS).toContain('github');
  });

  test('one ::error annotation per error, with file, line, col and a title', () => {
    const report: LineReport = {
      file: 'logs/a.ndjson',
      line: 3,
      column: 1,
      errors: [
        { code: 'required', instancePath: '', schemaPath: '#/required', params: {}, message: "missing required key 'agent'", column: 1 },
        { code: 'type', instancePath: '/evt/name', schemaPath: '', params: {}, message: 'expected string, found integer', column: 17 },
      ],
    };
    expect(formatReport(report, 'github', makeChalk(true))).toBe(
      "::error file=logs/a.ndjson,line=3,col=1,title=CSM event (required)::(root): missing required key 'agent'\n" +
        '::error file=logs/a.ndjson,line=3,col=17,title=CSM event (type)::/evt/name: expected string, found integer\n',
    );
  });

  test('line-level errors have no pointer and take the line column; <stdin> has no file', () => {
    const report: LineReport = {
      file: '<stdin>',
      line: 2,
      column: 5,
      errors: [{ code: 'json', instancePath: '', schemaPath: '', params: {}, message: 'unexpected end' }],
    };
    expect(formatGithubReport(report)).toBe('::error line=2,col=5,title=CSM event (json)::unexpected end\n');
  });

  test.each([
    ['100%', false, '100%25'],
    ['a\r\nb', false, 'a%0D%0Ab'],
    ['a:b,c', false, 'a:b,c'],
    ['a:b,c', true, 'a%3Ab%2Cc'],
    ['%0A', true, '%250A'],
  ])('escapes %j (property: %s) as %j', (text, property, expected) => {
    expect(githubEscape(text, property)).toBe(expected);
  });

  test('escapes the file property and the message (a newline from the data is \\x0a, as in every report)', () => {
    const report: LineReport = {
      file: 'C:\\logs,1.ndjson',
      line: 1,
      errors: [{ code: 'enum', instancePath: '/a', schemaPath: '', params: {}, message: '50% bad\nvalue', column: 2 }],
    };
    expect(formatGithubReport(report)).toBe(
      '::error file=C%3A\\logs%2C1.ndjson,line=1,col=2,title=CSM event (enum)::/a: 50%25 bad\\x0avalue\n',
    );
  });
});
