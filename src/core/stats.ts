/**
 * The counters of one run: every verdict is counted here once, in input order,
 * before any sink sees it; print/summary renders them. What can be derived is
 * (lines read, valid lines), so the counts always add up.
 */
import type { Issue } from './diagnostic.js';
import type { Line } from './lines.js';
import type { EventKind, Verdict } from './verdict.js';
import { tally, tallyKey } from './tally.js';

export class RunStats {
  /**
   * `all`: `kinds` counts every line that is a JSON object (csm-validate);
   * `selected`: only the selected events (csm-filter, whose summary is about
   * what it selected).
   */
  constructor(readonly kindsOf: 'all' | 'selected' = 'all') {}

  blank = 0;
  /** Lines that went on: valid lines (csm-validate), selected events (csm-filter). */
  selected = 0;
  /** Good lines the selection did not take (csm-filter). */
  skipped = 0;
  invalid = 0;
  /** Skipped lines (among `skipped`) that a time window left out for want of a valid date-time. */
  untimed = 0;
  /** csm-filter ran with a time window (`--since`/`--until`): the summary shows `untimed`. */
  timeWindow = false;
  /** Bytes read (after decompression), line terminators included. */
  bytes = 0;
  /** Errors of invalid lines beyond the per-line cap: counted, not listed, not in `errorPaths`. */
  errorsOmitted = 0;
  /** Invalid lines by error path and keyword, array indices folded into `*` (bounded: core/tally.ts). */
  readonly errorPaths = new Map<string, number>();
  /** Lines by `evt.name` (see `kindsOf`; bounded: core/tally.ts). */
  readonly kinds = new Map<string, number>();
  /** Event lines by the schema that judged them (`--schema auto`: per event). */
  readonly schemas = new Map<string, number>();
  /** Agent custom events by rule id (not judged as CSM events), counted apart from `kinds`. */
  readonly custom = new Map<string, number>();
  /** Tolerated problems (`--allow-unknown-keys`, `--ignore`): lines with warnings, and warnings by path (keyword). */
  warningLines = 0;
  readonly warningPaths = new Map<string, number>();
  /** For the end-of-run hint (core/hints.ts): JSON object lines, those without evt.name, and the envelopes among them. */
  readonly shapes = { objects: 0, withoutName: 0, archive: 0, api: 0, custom: 0 };

  /** Every line read, blank ones included. */
  get read(): number {
    return this.blank + this.selected + this.skipped + this.invalid;
  }

  /** Lines that are good JSON (and valid, where the tool validates). */
  get valid(): number {
    return this.selected + this.skipped;
  }

  /** Counts one line and its verdict. */
  count(line: Line, verdict: Verdict<unknown>): void {
    if (line.blank !== undefined) {
      // A run of blank lines (lines.ts `blankRuns`), counted without a Line each.
      this.bytes += line.blank.bytes;
      this.blank += line.blank.lines;
      return;
    }
    this.bytes += (line.tooLong === true ? (line.length ?? 0) : line.bytes.length) + 1;
    if (verdict.status === 'blank') {
      this.blank += 1;
      return;
    }
    const counted = this.kindsOf === 'all' || verdict.status === 'selected';
    if (verdict.custom !== undefined) {
      if (counted) bump(this.custom, verdict.custom);
      this.shapes.custom += 1;
    } else if (counted) countKindName(this, verdict.kind);
    if (verdict.schema !== undefined) bump(this.schemas, verdict.schema);
    if (verdict.warnings !== undefined) {
      this.warningLines += 1;
      countProblems(this.warningPaths, verdict.warnings);
    }
    if (verdict.kind !== undefined) {
      this.shapes.objects += 1;
      if (verdict.kind === null) this.shapes.withoutName += 1;
      if (verdict.envelope !== undefined) this.shapes[verdict.envelope] += 1;
    }
    if (verdict.status === 'invalid') {
      this.invalid += 1;
      countErrors(this, verdict.errors);
      this.errorsOmitted += verdict.omitted ?? 0;
    } else if (verdict.status === 'selected') this.selected += 1;
    else {
      this.skipped += 1;
      if (verdict.untimed === true) this.untimed += 1;
    }
  }
}

export function newStats(kindsOf: 'all' | 'selected' = 'all'): RunStats {
  return new RunStats(kindsOf);
}

function bump(map: Map<string, number>, key: string): void {
  tally(map, key);
}

/** `/process/ancestors/9/credentials` -> `/process/ancestors/*\/credentials`. */
export function foldIndices(pointer: string): string {
  return pointer.replace(/\/(0|[1-9][0-9]*)(?=\/|$)/g, '/*');
}

/** Counts each distinct (path, keyword) of an invalid line once. */
export function countErrors(stats: RunStats, errors: readonly Issue[]): void {
  countProblems(stats.errorPaths, errors);
}

/** Counts each distinct (path, keyword) of a line's problems once in `map`. */
export function countProblems(map: Map<string, number>, errors: readonly Issue[]): void {
  const seen = new Set<string>();
  for (const e of errors) {
    let path = foldIndices(e.instancePath);
    if (e.code === 'required' && typeof e.params.missingProperty === 'string') {
      path = `${path}/${e.params.missingProperty}`;
    } else if (e.code === 'additionalProperties' && typeof e.params.additionalProperty === 'string') {
      path = `${path}/${e.params.additionalProperty}`;
    }
    const key = `${path === '' ? '(root)' : tallyKey(path)} (${e.code})`;
    if (!seen.has(key)) {
      seen.add(key);
      bump(map, key);
    }
  }
}

/** Counts an event kind: `(none)` for an object without `evt.name`; a non-object is no event. */
export function countKindName(stats: RunStats, kind: EventKind): void {
  if (kind !== undefined) bump(stats.kinds, kind === null ? '(none)' : tallyKey(kind));
}

export function topEntries(map: Map<string, number>, n: number): [string, number][] {
  return [...map.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
}
