/**
 * csm-rules on the bytes (README "Selection on the bytes"): a line's event is made only
 * of what the rules read (reads.ts), extracted by the byte pass of csm-filter
 * (core/bytes/scan.ts) and parsed from its own slices, instead of the whole line. The
 * paths are those of every rule set met so far: when an event brings a rule set (an agent
 * version, origin or OS) whose reads are not yet covered, they are added and the line is
 * scanned again, so each event holds everything its rules read; the values are the ones
 * the whole parse gives, member for member. A line the pass does not take on is parsed
 * whole by the caller (which reports it as before).
 */
import type { Line } from '../core/lines.js';
import { type KeyTrie, addKeyPath, emptyTrie, lastScanFailedOnSyntax, scanSparse } from '../core/bytes/scan.js';
import { byteScannable } from '../core/bytes/select.js';
import { lazyObject } from '../core/bytes/sparse.js';
import { eventKind, type EventKind } from '../core/verdict.js';
import type { RuleEngine } from './engine.js';
import { RULE_EVENT_READS, ruleSetReads } from './reads.js';

/** A line's event as the rules read it: `exact` gives it with numbers digit for digit. */
export interface SparseEvent {
  event: unknown;
  exact: () => unknown;
  kind: EventKind;
}

/** Not taken on the bytes: `notJson` when the pass found a syntax error (the caller locates it). */
export interface NotTaken {
  notJson: boolean;
}

export class SparseEvents {
  private trie: KeyTrie | undefined = emptyTrie();
  /** Rule sets (by their shared index) whose reads are in the trie. */
  private readonly covered = new WeakSet<object>();
  private readonly scannable: (line: Line) => boolean;

  constructor(
    private readonly engines: readonly RuleEngine[],
    maxLineBytes: number,
  ) {
    for (const p of RULE_EVENT_READS) addKeyPath(this.trie!, p);
    this.scannable = byteScannable(maxLineBytes);
  }

  /** The event of a line, or why not (then parse it whole). */
  event(line: Line): SparseEvent | NotTaken {
    if (!this.scannable(line)) return { notJson: false };
    const bytes = line.bytes;
    for (;;) {
      const trie = this.trie;
      if (trie === undefined) return { notJson: false };
      const tree = scanSparse(bytes, trie);
      if (tree === undefined) return { notJson: lastScanFailedOnSyntax() };
      const event = lazyObject(tree, bytes, false);
      if (!this.cover(event)) continue;
      let exact: unknown;
      return { event, exact: () => (exact ??= lazyObject(tree, bytes, true)), kind: eventKind(event) };
    }
  }

  /** True when the trie holds what the event's rule sets read; else adds it (false: scan again). */
  private cover(event: unknown): boolean {
    let covered = true;
    for (const engine of this.engines) {
      const ix = engine.ruleSetOf(event);
      if (this.covered.has(ix.byType)) continue;
      this.covered.add(ix.byType);
      covered = false;
      const trie = this.trie;
      if (trie === undefined) continue;
      const reads = ruleSetReads(ix.set, engine.opts.only);
      if (reads === undefined || reads.some((p) => p.length === 0)) this.trie = undefined;
      else for (const p of reads) addKeyPath(trie, p);
    }
    return covered;
  }
}
