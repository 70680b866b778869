/**
 * Which names and descriptors are the same file: what keeps an output from
 * overwriting an input or another output (README "Guarantees", output safety).
 *
 * A file is known by its identity (device + inode, from stat or fstat) when it
 * exists, and by its canonical path (symlinks resolved, a dangling one to its
 * target, `..` and `.` removed) when it does not exist yet: two spellings of
 * one new file, or a dangling symlink and its target, are one file too.
 */
import { fstatSync, lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

export interface FileIdentity {
  dev: number;
  ino: number;
}

/** One end of the run: an input or an output, named as a message names it. */
export interface Endpoint {
  /** `--invalid-out x`, `x` (an input), `stdout`... */
  label: string;
  /** The flag of an output file (`--errors`). */
  flag?: string;
  role: 'input' | 'output';
  /** A regular file's device and inode (other files: a pipe, a terminal, /dev/null are never compared by identity). */
  id?: FileIdentity;
  /** The canonical path of a file that does not exist yet, or of a regular file. */
  canonical?: string;
  /** stdout and stderr: writing both to one file (`> log 2>&1`) is fine, they share one open file. */
  standard?: boolean;
}

const MAX_LINKS = 40;

/** The canonical absolute path of `path`, following symlinks, dangling ones included (to the file they would create). */
export function canonicalPath(path: string, depth = 0): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    // Not there (or a dangling symlink): resolve what exists of it.
  }
  if (depth < MAX_LINKS) {
    try {
      if (lstatSync(abs).isSymbolicLink()) return canonicalPath(resolve(dirname(abs), readlinkSync(abs)), depth + 1);
    } catch {
      // Neither a file nor a link: its directory is resolved below.
    }
  }
  const parent = dirname(abs);
  return parent === abs ? abs : resolve(canonicalPath(parent, depth + 1), basename(abs));
}

/**
 * The endpoint of a path: a regular file by its identity and canonical path, a
 * file that does not exist yet by its canonical path. Anything else (a terminal,
 * a pipe, /dev/null, /dev/stderr) is never a clash: nothing there is truncated
 * or overwritten at an offset, so `--invalid-out /dev/stdout --errors /dev/stderr`
 * on one terminal is fine.
 */
export function pathEndpoint(label: string, role: Endpoint['role'], path: string, flag?: string): Endpoint {
  const e: Endpoint = { label, role, ...(flag !== undefined ? { flag } : {}) };
  try {
    const st = statSync(path);
    if (!st.isFile()) return e;
    e.id = { dev: st.dev, ino: st.ino };
  } catch {
    // Does not exist (yet): known by its canonical path only.
  }
  e.canonical = canonicalPath(path);
  return e;
}

/** The endpoint of an open descriptor (stdin, stdout, stderr, an output just opened), if it is a regular file. */
export function fdEndpoint(label: string, role: Endpoint['role'], fd: number, standard = false): Endpoint | undefined {
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    return { label, role, id: { dev: st.dev, ino: st.ino }, ...(standard ? { standard } : {}) };
  } catch {
    return undefined;
  }
}

function same(a: Endpoint, b: Endpoint): boolean {
  if (a.id !== undefined && b.id !== undefined) return a.id.dev === b.id.dev && a.id.ino === b.id.ino;
  return a.canonical !== undefined && a.canonical === b.canonical;
}

/**
 * The first clash, as a message: an output that is an input, or two outputs
 * that are one file (stdout with stderr excepted). Undefined when there is none.
 */
export function findClash(endpoints: readonly Endpoint[]): string | undefined {
  const outputs = endpoints.filter((e) => e.role === 'output');
  for (const out of outputs) {
    const input = endpoints.find((e) => e.role === 'input' && same(e, out));
    if (input !== undefined) {
      return out.standard === true
        ? `${out.label} is the input ${input.label}: refusing to read what this run writes (it would never end)`
        : `${out.label} is the input ${input.label}: refusing to overwrite it`;
    }
  }
  for (let i = 0; i < outputs.length; i++) {
    for (let j = 0; j < i; j++) {
      const [a, b] = [outputs[j]!, outputs[i]!];
      if (a.standard === true && b.standard === true) continue;
      if (!same(a, b)) continue;
      if (a.flag !== undefined) return `${b.label} is also given to ${a.flag}`;
      return `${b.label} is the file ${a.label} goes to: refusing to let one overwrite the other`;
    }
  }
  return undefined;
}
