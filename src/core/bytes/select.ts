/**
 * csm-filter's line step on the bytes (README "Selection on the bytes"): the
 * byte pass (scan.ts) checks the line and extracts only what the filter reads
 * (reads.ts); the values found are parsed from their own slices (numbers
 * exactly, from their text, where a query needs it) into a sparse event, and
 * the ordinary selection, window, projection and count keys run on it
 * (filterEvent): the verdict is the one filterLine gives, by construction. A
 * line the pass does not take on goes to filterLine, which reports it.
 */
import { DEFAULT_MAX_LINE_BYTES, type Line } from '../lines.js';
import { maxLineValues } from '../line-cost.js';
import type { Path } from '../path.js';
import { type CompiledFilter, type SelectedEvent, filterEvent, filterLine } from '../filter-line.js';
import { type Verdict, eventKind } from '../verdict.js';
import { customEventId } from '../judge.js';
import { type KeyTrie, addKeyPath, emptyTrie, lastScanFailedOnSyntax, scanSparse } from './scan.js';
import { materialize } from './sparse.js';
import type { JsonValue } from '../json/value.js';
import { LINE_READS, type KeyPath, keyPrefix, readsWhole } from './reads.js';

/**
 * Which lines the byte pass takes on: not a line already found too long or out of
 * its envelope, not empty, and not one that may hold more values than the limit
 * (line-cost.ts): those are taken (and reported) the ordinary way.
 */
export function byteScannable(maxLineBytes?: number): (line: Line) => boolean {
  const maxBytes = 2 * maxLineValues(maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  return (line) => !(line.tooLong === true || line.shapeProblem !== undefined || line.bytes.length === 0 || line.bytes.length >= maxBytes);
}

/** The trie of what a filter and its renderer read; undefined when that is the whole event. */
export function readsTrie(filter: CompiledFilter, renderPaths: readonly Path[]): KeyTrie | undefined {
  if (filter.reads === undefined) return undefined;
  const paths: KeyPath[] = [...LINE_READS, ...filter.reads, ...renderPaths.map((p) => keyPrefix(p.segments))];
  if (readsWhole(paths)) return undefined;
  const trie = emptyTrie();
  for (const p of paths) addKeyPath(trie, p);
  return trie;
}

/**
 * filterLine on the bytes, for a filter whose reads are known and a `render`
 * that reads only `renderPaths` of the event (a `--field` projection, the
 * `--count-by` paths; none when the line itself is printed). Undefined when
 * the filter needs the whole event: then use filterLine.
 */
export function byteLineStep<O = string>(
  filter: CompiledFilter,
  renderPaths: readonly Path[],
  maxLineBytes?: number,
  render?: (event: SelectedEvent) => O,
): ((line: Line) => Verdict<O>) | undefined {
  const trie = readsTrie(filter, renderPaths);
  if (trie === undefined) return undefined;
  const scannable = byteScannable(maxLineBytes);
  // With kinds (not inverted) and no time window, a line of another kind is skipped on what the line step
  // itself reads (LINE_READS): the rest is not made. filterEvent decides, on that part of the event.
  const kinds = filter.kinds !== undefined && !filter.invert && filter.window === undefined ? filter.kinds : undefined;
  const head = emptyTrie();
  for (const p of LINE_READS) addKeyPath(head, p);
  return (line) => {
    const bytes = line.bytes;
    const scanned = scannable(line);
    const tree = scanned ? scanSparse(bytes, trie) : undefined;
    if (tree === undefined) return filterLine(line, filter, maxLineBytes, render, scanned && lastScanFailedOnSyntax());
    const text = (): string => bytes.toString('utf8');
    if (kinds !== undefined) {
      const part = materialize(tree, bytes, false, head);
      const kind = eventKind(part);
      const custom = kind === null ? customEventId(part) : undefined;
      if (typeof kind === 'string' ? !kinds.has(kind) : custom === undefined || !kinds.has(custom)) {
        return filterEvent(line, filter, { value: part, kind, exact: () => part, text }, render);
      }
    }
    const value = materialize(tree, bytes, false);
    let exactValue: JsonValue | undefined;
    const exact = (): JsonValue => (exactValue ??= materialize(tree, bytes, true));
    return filterEvent(line, filter, { value, kind: eventKind(value), exact, text }, render);
  };
}
