/**
 * What the document splitter (splitter.ts) hands on: elements with their place
 * in the file, or where the document broke.
 */

/** One element of a document, where it starts in the file (1-based line and column, in code points). */
export interface Element {
  bytes: Buffer;
  line: number;
  column: number;
  /** Byte offset of its first byte in the stream. */
  offset: number;
  /** Its index in the array it belongs to (a JSON array, an API page's `data`); none for a text of its own. */
  item?: number;
  /** Where whitespace was dropped: `[offset in bytes, line, column]` of the next kept byte, repeated. */
  marks?: number[];
  /** Longer than the limit: not kept (`bytes` empty); `length` is its compacted size. */
  tooLong?: true;
  length?: number;
  /** Not an element: what is wrong with this part of the document (an API page without `data`). */
  problem?: string;
}

export type ElementSink = (element: Element) => void;

/** Where and why the document's structure broke; nothing after it is read. */
export interface SplitFailure {
  line: number;
  column: number;
  offset: number;
  message: string;
}

export type DocumentMode = 'json' | 'api';
