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
  const code = await main(io);
  const drain = (s: NodeJS.WriteStream): Promise<void> =>
    s.writableLength === 0 || s.destroyed
      ? Promise.resolve()
      : new Promise((resolve) => {
          s.once('drain', resolve);
          s.once('error', resolve);
          s.once('close', resolve);
        });
  await Promise.all([drain(process.stdout), drain(process.stderr)]);
  process.exit(code);
}
