/**
 * The one error model: every problem with a line, a flag, a query or a file is a
 * value with a location, reported and counted, never thrown past the CLI layer.
 */

/** Exit statuses, identical across the tools (README "Exit status"). */
export const ExitCode = {
  /** Every line valid / every selected line printed (empty input included). */
  ok: 0,
  /** Some line was invalid (csm-validate) or not JSON (csm-filter). */
  invalid: 1,
  /** Usage error, unreadable input, unwritable output, bad schema or bad query. */
  usage: 2,
  /** Interrupted by SIGINT (128 + 2). */
  sigint: 130,
  /** Terminated by SIGTERM (128 + 15). */
  sigterm: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A stretch of a text the caller gave (a query, a field path, a flag's value): UTF-16 offsets. */
export interface Span {
  start: number;
  end: number;
}

/**
 * Every problem a user can meet, of a line, of a query, a path, a flag or a
 * schema: what (`code`), why (`message`), and where, with the location fields
 * its kind needs. A message names no flag and no position: the printer that
 * shows it adds the place (`file:line:col`, `--where`, a caret under `span`).
 */
export interface Diagnostic {
  /**
   * For programs. A line: `json`, `encoding`, `size`, or the JSON Schema keyword
   * that failed (`required`, `type`, ...). A query or path: `syntax`, `depth`,
   * `path`, `unknown-field`, `operand`, `type`, `regex`, `glob`.
   */
  code: string;
  message: string;
  /** Where in the text it is about (queries, paths). */
  span?: Span;
  /** In a line: the 1-based column, in Unicode code points. */
  column?: number;
  /** What would have been accepted here, e.g. `a value`. */
  expected?: string;
  /** What was there instead, e.g. `')'`, `end of query`. */
  found?: string;
  /** For an unclosed `(` or `[`: where it was opened. */
  opener?: Span;
  /** The closest known name, for an unknown one. */
  suggestion?: string;
}

/**
 * A problem of one line (JSON, UTF-8, size, or the schema): a Diagnostic whose
 * `code` is the keyword, with ajv's location fields (as in its ErrorObject).
 */
export interface Issue extends Diagnostic {
  /** JSON Pointer (RFC 6901) to the offending value; "" for the whole line. */
  instancePath: string;
  /** JSON Pointer into the schema ("" for line-level problems). */
  schemaPath: string;
  params: Record<string, unknown>;
}

/** All problems of one invalid line. */
export interface LineReport {
  file: string;
  line: number;
  /** Column of the first problem (the JSON/encoding error, or the first schema error). */
  column?: number;
  errors: Issue[];
  /** Errors of the line beyond the per-line cap, counted but not listed (validate-line.ts). */
  omitted?: number;
  /** The bundled schema that judged the line (`linux-2025-09`); absent for a user's schema file. */
  schema?: string;
  /** Problems tolerated on purpose (`--allow-unknown-keys`, `--ignore`): reported, not errors. */
  warnings?: Issue[];
  /**
   * An event cut out of a document (input shapes, core/shapes): `column` is
   * that of the event's first byte in the file, every error is reported there,
   * and the errors' own columns count within the event as handed on; `item`
   * is its index in its array, if it is in one.
   */
  event?: { item?: number };
}

/**
 * A problem with what the caller gave (bad flag, unreadable file, bad schema...):
 * it stops the work before any input is read. A CLI prints its message once,
 * after the tool's name, and exits 2.
 */
export class UsageError extends Error {
  /**
   * The message is already rendered for a terminal (a query error with its
   * caret lines, each escaped): printed as it is. Otherwise the CLI escapes it
   * (src/core/escape.ts), so a file name or a kind from the command line cannot
   * break or forge a line.
   */
  readonly rendered: boolean;
  constructor(message: string, options: { rendered?: boolean } = {}) {
    super(message);
    this.name = 'UsageError';
    this.rendered = options.rendered === true;
  }
}

/** Node's system errors carry a `code` such as ENOENT or EPIPE. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

const SYSTEM_MESSAGES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  ENOTDIR: 'not a directory',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  EFBIG: 'file too large',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
  ENXIO: 'no such device or address',
  ETXTBSY: 'text file busy',
};

/** A short human cause for a system error, without Node's stack or syscall noise. */
export function describeSystemError(err: unknown): string {
  const code = errorCode(err);
  if (code !== undefined && SYSTEM_MESSAGES[code] !== undefined) return SYSTEM_MESSAGES[code];
  // Node's `ECODE: cause, syscall 'path'`: the caller names the path itself, so it goes.
  if (err instanceof Error) return err.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '[^]*'$/, '');
  return String(err);
}
