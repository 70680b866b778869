/** The progress line (TTY stderr only): records in, one line of text out. */

export interface ProgressState {
  tool: string;
  /** Bytes read so far (decompressed). */
  bytes: number;
  /** Total bytes to read, when every input is a plain regular file. */
  total: number | undefined;
  lines: number;
  invalid: number;
  seconds: number;
}

function megabytes(n: number): string {
  return `${(n / 1e6).toFixed(1)} MB`;
}

export function formatProgress(p: ProgressState): string {
  const rate = p.seconds > 0 ? Math.round(p.lines / p.seconds) : 0;
  const done =
    p.total !== undefined && p.total > 0
      ? `${megabytes(p.bytes)} / ${megabytes(p.total)} (${Math.min(100, Math.floor((p.bytes / p.total) * 100))}%)`
      : megabytes(p.bytes);
  return `${p.tool}: ${done} · ${rate.toLocaleString('en-US')} lines/s · ${p.invalid.toLocaleString('en-US')} invalid`;
}
