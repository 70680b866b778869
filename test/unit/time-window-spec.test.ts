/**
 * timeWindowSpec: the one reading of --since/--until/--time-field that
 * csm-filter and the library's filterStream share (each words the problems).
 */
import { describe, expect, it } from 'vitest';
import { timeWindowSpec } from '../../src/core/time-window.js';

const NOW = Date.UTC(2024, 7, 1, 12, 0, 0);

describe('timeWindowSpec', () => {
  it.each<[Parameters<typeof timeWindowSpec>[0], ReturnType<typeof timeWindowSpec>]>([
    [{}, { ok: true, spec: undefined }],
    [{ since: '2024-08-01' }, { ok: true, spec: { field: 'date', since: '2024-08-01T00:00:00Z' } }],
    [{ until: '2h', field: 'process.exec_time' }, { ok: true, spec: { field: 'process.exec_time', until: '2024-08-01T10:00:00.000Z' } }],
    [{ since: '2024-08-01T08:00:00+02:00', until: '2024-08-01T06:00:00.000000001Z' }, { ok: true, spec: { field: 'date', since: '2024-08-01T08:00:00+02:00', until: '2024-08-01T06:00:00.000000001Z' } }],
    [{ field: 'date' }, { ok: false, problem: { kind: 'field-alone' } }],
    [{ since: 'yesterday' }, { ok: false, problem: { kind: 'not-a-time', which: 'since', text: 'yesterday' } }],
    [{ since: '1h', until: '2024-08-01 06:00:00Z' }, { ok: false, problem: { kind: 'not-a-time', which: 'until', text: '2024-08-01 06:00:00Z' } }],
    // 08:00+02:00 is 06:00Z: an empty half-open window
    [{ since: '2024-08-01T08:00:00+02:00', until: '2024-08-01T06:00:00Z' }, { ok: false, problem: { kind: 'empty', since: '2024-08-01T08:00:00+02:00', until: '2024-08-01T06:00:00Z' } }],
  ])('%j', (given, expected) => {
    expect(timeWindowSpec(given, NOW)).toEqual(expected);
  });
});
