import { describe, expect, it } from 'vitest';
import { countErrors, countKindName, newStats } from '../../src/core/stats.js';
import { makeChalk } from '../../src/print/color.js';
import { formatProgress } from '../../src/print/progress.js';
import { bar, formatSummary, summaryData } from '../../src/print/summary.js';

describe('bar', () => {
  it('scales to the largest value in eighths of a cell', () => {
    expect(bar(10, 10, 4)).toBe('████');
    expect(bar(5, 10, 4)).toBe('██');
    expect(bar(1, 16, 4)).toBe('▎');
    expect(bar(0, 10, 4)).toBe('');
    expect(bar(1, 1000, 4)).toBe('▏');
  });
});

describe('summaryData and formatSummary', () => {
  const stats = newStats();
  stats.selected = 2;
  stats.invalid = 2;
  stats.blank = 1;
  stats.bytes = 2_000_000;
  countKindName(stats, 'exec');
  countKindName(stats, 'exec');
  countKindName(stats, 'open');
  countErrors(stats, [{ code: 'required', instancePath: '/process/ancestors/3', schemaPath: '', params: { missingProperty: 'pid' }, message: '' }]);

  it('keeps every count, folds array indices, and computes rates', () => {
    expect(summaryData('csm-validate', stats, 2)).toEqual({
      tool: 'csm-validate',
      read: 5,
      valid: 2,
      invalid: 2,
      blank: 1,
      bytes: 2_000_000,
      seconds: 2,
      linesPerSecond: 3,
      megabytesPerSecond: 1,
      errorPaths: { '/process/ancestors/*/pid (required)': 1 },
      kinds: { exec: 2, open: 1 },
    });
  });

  it('renders totals, then charts sorted by count', () => {
    const filtered = newStats('selected');
    Object.assign(filtered, { selected: 4, skipped: 1 });
    countKindName(filtered, 'exec');
    countKindName(filtered, 'exec');
    countKindName(filtered, 'open');
    const text = formatSummary(summaryData('csm-filter', filtered, 2), makeChalk(false));
    expect(text).toContain('  selected                4\n');
    expect(text).toMatch(/ {4}exec {2}2 {2}█{28}\n {4}open {2}1 {2}█{14}\n/);
  });
});

describe('formatProgress', () => {
  it('shows bytes, the share of a known total, lines/s and invalid lines', () => {
    expect(formatProgress({ tool: 't', bytes: 25e6, total: 100e6, lines: 5000, invalid: 3, seconds: 2 })).toBe(
      't: 25.0 MB / 100.0 MB (25%) · 2,500 lines/s · 3 invalid',
    );
    expect(formatProgress({ tool: 't', bytes: 1e6, total: undefined, lines: 0, invalid: 0, seconds: 0 })).toBe('t: 1.0 MB · 0 lines/s · 0 invalid');
  });
});
