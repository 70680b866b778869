/**
 * Where in a line a JSON Pointer points: turns a schema error's instancePath into
 * a column, so a report can say `file:line:col`. Runs on invalid lines only, on
 * text that JSON.parse already accepted.
 */

/** Decodes a JSON Pointer (RFC 6901) into its reference tokens. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function skipWs(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else return i;
  }
}

/** Index just past the string starting at `i` (which is a `"`). */
function skipString(text: string, i: number): number {
  i++;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) i += 2;
    else if (Number.isNaN(c)) return i;
    else i++;
  }
}

/** Index just past the (valid) JSON value starting at `i`. */
function skipValue(text: string, i: number): number {
  let depth = 0;
  for (;;) {
    const c = text.charCodeAt(i);
    if (Number.isNaN(c)) return i;
    if (c === 0x22) {
      i = skipString(text, i);
      if (depth === 0) return i;
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
      if (depth < 0) return i;
    } else if (depth === 0 && (c === 0x2c || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d)) {
      return i;
    }
    i++;
  }
}

function readKey(text: string, i: number): { key: string; end: number } {
  const end = skipString(text, i);
  const raw = text.slice(i, end);
  return { key: raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1), end };
}

/** One wanted position: the value a JSON Pointer designates, or (with `key`) its key. */
export interface PointerQuery {
  pointer: string;
  key?: boolean;
}

/** A node of the tree of wanted pointers: where its value (and key) were found, and the wanted children. */
interface Want {
  children: Map<string, Want>;
  valueAt: number;
  keyAt: number;
}

function want(): Want {
  return { children: new Map(), valueAt: -1, keyAt: -1 };
}

/** A later duplicate key replaces the earlier value (as in JSON.parse): forget what was found under it. */
function forget(node: Want): void {
  for (const child of node.children.values()) {
    child.valueAt = -1;
    child.keyAt = -1;
    forget(child);
  }
}

interface Frame {
  node: Want;
  array: boolean;
  index: number;
}

/** Steps taken by the last `locatePointers` call (values entered or skipped): linear in the text, for tests. */
export let locateSteps = 0;

/**
 * UTF-16 index of each query's value (or key) in the JSON `text`, or -1, in ONE
 * pass over the text, however many queries: only the wanted members and
 * elements are entered, every other value is skipped. With duplicate keys the
 * last one counts, as in JSON.parse. A key is only found for a pointer whose
 * last step is an object member; otherwise `key` gives the value's index.
 */
export function locatePointers(text: string, queries: readonly PointerQuery[]): number[] {
  const root = want();
  const nodes = queries.map((q) => {
    let node = root;
    for (const token of pointerTokens(q.pointer)) {
      let child = node.children.get(token);
      if (child === undefined) {
        child = want();
        node.children.set(token, child);
      }
      node = child;
    }
    return node;
  });
  locateSteps = 0;
  const stack: Frame[] = [];
  const enter = (node: Want, at: number): number => {
    locateSteps++;
    if (node.valueAt !== -1) forget(node);
    node.valueAt = at;
    const c = text.charCodeAt(at);
    if (node.children.size > 0 && (c === 0x7b || c === 0x5b)) {
      stack.push({ node, array: c === 0x5b, index: 0 });
      return at + 1;
    }
    return skipValue(text, at);
  };
  let i = enter(root, skipWs(text, 0));
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    i = skipWs(text, i);
    if (text.charCodeAt(i) === 0x2c) i = skipWs(text, i + 1);
    const c = text.charCodeAt(i);
    if (c === 0x7d || c === 0x5d || Number.isNaN(c)) {
      stack.pop();
      i++;
      continue;
    }
    let child: Want | undefined;
    if (frame.array) {
      child = frame.node.children.get(String(frame.index++));
    } else {
      if (c !== 0x22) return nodes.map(() => -1); // not JSON text: nothing to locate
      const { key, end } = readKey(text, i);
      child = frame.node.children.get(key);
      if (child !== undefined) child.keyAt = i;
      i = skipWs(text, skipWs(text, end) + 1);
    }
    if (child === undefined) {
      locateSteps++;
      i = skipValue(text, i);
    } else {
      i = enter(child, i);
    }
  }
  return queries.map((q, n) => {
    const node = nodes[n]!;
    if (node.valueAt === -1) return -1;
    return q.key === true && node.keyAt !== -1 ? node.keyAt : node.valueAt;
  });
}

/**
 * UTF-16 index of the value `pointer` designates in the JSON `text` (or of its
 * key, with `key`), or -1. With duplicate keys the last one counts, as in JSON.parse.
 */
export function locatePointer(text: string, pointer: string, options: { key?: boolean } = {}): number {
  return locatePointers(text, [{ pointer, key: options.key === true }])[0]!;
}
