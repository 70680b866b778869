/**
 * "Did you mean": the declared path closest to what was typed, by edit distance.
 */
import type { Segment } from '../path.js';
import type { SchemaIndex } from './graph.js';
import { listPaths } from './list.js';

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/**
 * The candidate whose `text` is closest to `target` by editDistance, if it is
 * at most `limit` away; of equally close ones, the first.
 */
export function closest<T>(target: string, candidates: Iterable<T>, text: (c: T) => string, limit: number): T | undefined {
  let best: T | undefined;
  let bestDist = limit + 1;
  for (const cand of candidates) {
    const d = editDistance(target, text(cand), bestDist - 1);
    if (d < bestDist) {
      bestDist = d;
      best = cand;
    }
  }
  return best;
}

/** Keys joined by dots whatever they contain, `[*]` for every index: for comparing. */
function looseText(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) {
    if (s.kind === 'key') out += out === '' ? s.key : '.' + s.key;
    else out += '[*]';
  }
  return out;
}

/** The closest declared path to what was typed, if close enough. */
export function suggest(index: SchemaIndex, typed: readonly Segment[], failingPart: string): string | undefined {
  const limit = Math.max(1, Math.min(4, Math.ceil(failingPart.length / 3)));
  return closest(looseText(typed), listPaths(index), (cand) => looseText(cand.segments), limit)?.path;
}
