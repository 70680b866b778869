/**
 * Reading a command line with commander: its errors become one-line usage
 * errors, `--help`/`--version` a normal exit 0 with text on stdout.
 */
import { type Command, CommanderError } from 'commander';
import { ExitCode, UsageError } from '../core/diagnostic.js';
import type { ColorMode } from '../print/color.js';
import type { Io } from './io.js';

/**
 * Parses argv with commander, turning its errors into UsageError (one line,
 * exit 2) and --help/--version into a normal exit 0 with text on stdout.
 */
export function parseCommand(
  program: Command,
  io: Io,
): { kind: 'run'; opts: Record<string, unknown>; args: string[] } | { kind: 'exit'; code: ExitCode } {
  let errText = '';
  program
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => {
        errText += s;
      },
      outputError: (s) => {
        errText += s;
      },
    });
  try {
    program.parse(io.argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) {
        return { kind: 'exit', code: ExitCode.ok };
      }
      const [first = '', ...rest] = (errText || err.message).trim().replace(/^error: /, '').split('\n');
      // commander's "(Did you mean --color?)" on the next line, said as field paths say it
      const suggestion = /^\(Did you mean (\S+)\?\)$/.exec(rest.join(' ').trim())?.[1];
      throw new UsageError(`${first}${suggestion !== undefined ? ` — did you mean '${suggestion}'?` : ''} (see --help)`);
    }
    throw err;
  }
  return { kind: 'run', opts: program.opts(), args: program.args };
}

export function colorMode(value: unknown): ColorMode {
  return value === 'always' || value === 'never' ? value : 'auto';
}

