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

/** One problem found in one line (mirrors ajv's ErrorObject, plus a column). */
export interface Issue {
  /** `json`, `encoding`, `size` for line-level problems; the JSON Schema keyword otherwise. */
  keyword: string;
  /** JSON Pointer (RFC 6901) to the offending value; "" for the whole line. */
  instancePath: string;
  /** JSON Pointer into the schema ("" for line-level problems). */
  schemaPath: string;
  params: Record<string, unknown>;
  message: string;
  /** 1-based column in the line, in Unicode code points, when it is known. */
  column?: number;
}

/** All problems of one invalid line. */
export interface LineReport {
  file: string;
  line: number;
  /** Column of the first problem (the JSON/encoding error, or the first schema error). */
  column?: number;
  errors: Issue[];
}

/** A problem that stops a tool (bad flag, unreadable file, bad schema...). */
export class UsageError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode = ExitCode.usage) {
    super(message);
    this.name = 'UsageError';
    this.exitCode = exitCode;
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
};

/** A short human cause for a system error, without Node's stack or syscall noise. */
export function describeSystemError(err: unknown): string {
  const code = errorCode(err);
  if (code !== undefined && SYSTEM_MESSAGES[code] !== undefined) return SYSTEM_MESSAGES[code];
  if (err instanceof Error) return err.message.replace(/^[A-Z]+: /, '');
  return String(err);
}
