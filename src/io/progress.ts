/**
 * The progress line on a TTY stderr: drawn by a timer (never per line, so it
 * costs nothing measurable), first after a second, then a few times a second;
 * erased before the tool writes other diagnostics and at the end.
 */
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { type ProgressState, formatProgress } from '../print/progress.js';
import type { InputSpec } from './input.js';

const FIRST_DRAW_MS = 1000;
const REDRAW_MS = 250;

export class ProgressLine {
  private timer: NodeJS.Timeout | undefined;
  private shown = false;
  private readonly started = Date.now();

  constructor(
    private readonly stream: Writable & { columns?: number },
    private readonly state: () => Omit<ProgressState, 'seconds'>,
  ) {}

  start(): void {
    const first = setTimeout(() => {
      this.draw();
      this.timer = setInterval(() => this.draw(), REDRAW_MS);
      this.timer.unref();
    }, FIRST_DRAW_MS);
    first.unref();
    this.timer = first;
  }

  private draw(): void {
    const text = formatProgress({ ...this.state(), seconds: (Date.now() - this.started) / 1000 });
    const columns = this.stream.columns !== undefined && this.stream.columns > 0 ? this.stream.columns : 80;
    const width = Math.max(20, columns - 1);
    this.stream.write(`\r${text.length > width ? text.slice(0, width) : text}\u001b[K`);
    this.shown = true;
  }

  /** Erases the line (before other output on the same terminal). */
  clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\u001b[K');
    this.shown = false;
  }

  stop(): void {
    clearTimeout(this.timer);
    clearInterval(this.timer);
    this.clear();
  }
}

/** Total bytes of the inputs when all are plain (not gzip) regular files; else undefined. */
export function plainInputBytes(inputs: InputSpec[]): number | undefined {
  let total = 0;
  for (const input of inputs) {
    if (input.path === '-') return undefined;
    try {
      const st = statSync(input.path);
      if (!st.isFile()) return undefined;
      const head = Buffer.alloc(2);
      const fd = openSync(input.path, 'r');
      try {
        if (readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b) return undefined;
      } finally {
        closeSync(fd);
      }
      total += st.size;
    } catch {
      return undefined;
    }
  }
  return total;
}
