/**
 * How every tool runs: `runTool` around a tool's main (usage errors become one
 * line and exit 2, never a stack trace; `TOOL completion SHELL` for every
 * tool), and `runBin`, the executables' entry with the real process.
 */
import { ExitCode, UsageError } from '../core/diagnostic.js';
import { escapeText } from '../core/escape.js';
import type { Tool } from './commands.js';
import { type Io, processIo } from './io.js';

/**
 * Runs a tool's main: `TOOL completion SHELL` first (every tool takes it), then
 * main; a UsageError becomes one line and exit 2; anything else is an internal
 * error, never a stack trace (unless `CSM_DEBUG` is set).
 */
export async function runTool(tool: Tool, io: Io, main: (io: Io) => Promise<ExitCode>): Promise<ExitCode> {
  try {
    if (io.argv[0] === 'completion') {
      // Loaded only when asked: completion reads the whole schema.
      const { printCompletion } = await import('./completion.js');
      return printCompletion(tool, io);
    }
    return await main(io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`${tool}: ${err.rendered ? err.message : escapeText(err.message)}\n`);
      return ExitCode.usage;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`${tool}: internal error: ${escapeText(message)} (please report this)\n`);
    if (io.env.CSM_DEBUG !== undefined && err instanceof Error && err.stack !== undefined) {
      io.stderr.write(`${err.stack}\n`);
    }
    return ExitCode.usage;
  }
}

/** How long diagnostics may hold the exit after a signal: then they are dropped. */
const STDERR_GRACE_MS = 1000;

function graceMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * The executables' entry: runs a tool's main with the real process, then exits
 * once stdout and stderr have drained (stdin may still be open: we do not wait).
 */
export async function runBin(main: (io: Io) => Promise<ExitCode>): Promise<void> {
  const io = processIo();
  // A write error on a closed stdout/stderr must never become an uncaught exception.
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});
  const code = await main(io);
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
  // After SIGINT/SIGTERM, diagnostics nobody reads (a stderr pipe that is never
  // drained) must not hold the exit: stderr gets a short grace, then is dropped.
  // stdout is always waited for: its lines are data, and a line written is never lost.
  const signalled = code === ExitCode.sigint || code === ExitCode.sigterm;
  const stderrDone = signalled ? Promise.race([flushed(process.stderr), graceMs(STDERR_GRACE_MS)]) : flushed(process.stderr);
  await Promise.all([flushed(process.stdout), stderrDone]);
  process.exit(code);
}
