/**
 * The executables' entry: runs a tool's main with the real process, then exits
 * once stdout and stderr have drained (stdin may still be open: we do not wait).
 */
import type { ExitCode } from '../core/diagnostic.js';
import { type Io, processIo } from './common.js';

export async function runBin(main: (io: Io) => Promise<ExitCode>): Promise<void> {
  const io = processIo();
  // A write error on a closed stdout/stderr must never become an uncaught exception.
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});
  // `TOOL completion bash|zsh|fish`, for every tool, before its own arguments are parsed
  const completion = io.argv[0] === 'completion' ? await import('./completion.js') : undefined;
  const code = (await completion?.completionHook(main, io)) ?? (await main(io));
  // An empty write's callback runs once everything written before it has left the
  // process (stdout may be a socket, whose writes are asynchronous). With nothing
  // pending there is nothing to wait for, and no write that could fail after the
  // exit status was decided (stdout on a full device with nothing to print).
  const flushed = (s: NodeJS.WriteStream): Promise<void> =>
    s.destroyed || s.writableLength === 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          s.once('error', () => resolve());
          s.write('', () => resolve());
        });
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}
