/**
 * The options several tools share (their flags, help texts and argument
 * parsers), used by the command definitions in commands.ts.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_MAX_LINE_BYTES } from '../core/lines.js';
import { INPUT_SHAPES } from '../core/shapes/detect.js';
import { ERROR_FORMATS } from '../print/report.js';
import { VERSION } from './version.js';

/**
 * A repeatable option: each use adds its value to a list (read it as
 * `opts.x ?? []`). No default, so `--help` shows none; completion asks
 * `isRepeatable`.
 */
const repeatableOptions = new WeakSet<Option>();
export function repeatable(flags: string, description: string): Option {
  const option = new Option(flags, description).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
  repeatableOptions.add(option);
  return option;
}
export function isRepeatable(option: Option): boolean {
  return repeatableOptions.has(option);
}

/** `--ref [URI=]FILE` (io/schema-refs.ts), for csm-validate and csm-filter. */
export function refOption(): Option {
  return repeatable('--ref <[URI=]FILE>', "a schema --schema's $ref may name, by its $id or by URI (repeatable)");
}

export function integerArg(min: number): (value: string) => number {
  return (value: string) => {
    if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError(`expected a whole number >= ${min}`);
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number >= ${min}`);
    return n;
  };
}

/** `64M`, `1G`, `4096`, `2KiB`: a byte count. */
export function byteSizeArg(value: string): number {
  const m = /^([0-9]+)\s*(k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(value.trim());
  if (m === null) throw new InvalidArgumentError('expected a byte count such as 4096, 64M or 1G');
  const unit = (m[2] ?? '').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const n = Number(m[1]) * mult;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a byte count >= 1');
  return n;
}

export function maxLineBytesOption(): Option {
  return new Option(
    '--max-line-bytes <SIZE>',
    'a longer line is invalid (keyword size) and skipped without being kept in memory',
  )
    .argParser(byteSizeArg)
    .default(DEFAULT_MAX_LINE_BYTES, '64M');
}

export function colorOption(): Option {
  return new Option('--color <when>', 'colour diagnostics: auto, always or never (NO_COLOR, FORCE_COLOR respected)')
    .choices(['auto', 'always', 'never'])
    .default('auto');
}

/** `--schema NAME|FILE`: which schema judges the events (validate, filter) or is read (csm-schema). */
export const SCHEMA_HELP =
  'auto (default: per event, by agent.os and agent.version), linux-2024-08, linux-2025-09, windows-2024-06, or a JSON Schema FILE';

export function schemaValueOption(purpose: string): Option {
  return new Option('--schema <NAME|FILE>', `${purpose}: ${SCHEMA_HELP}`);
}

/** `--allow-unknown-keys` and `--ignore`: known drift of real agent output, tolerated on purpose (warnings). */
export function withToleranceOptions(command: Command, when: string): Command {
  return command
    .addOption(new Option('--allow-unknown-keys', `keys the schema does not declare are warnings, not errors${when}`))
    .addOption(
      repeatable(
        '--ignore <KEYWORD[:POINTER-GLOB]>',
        `problems of this keyword (at these pointers: * one step, ** any) are warnings, not errors, e.g. type:/dns/response (repeatable)${when}`,
      ),
    );
}

export function errorFormatOption(description: string): Option {
  return new Option('--error-format <FORMAT>', description).choices(ERROR_FORMATS).default('text');
}

/** The flags every line tool ends with: input shape, line limit, reports, progress, colour, version, help. */
export function withRunOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--input <SHAPE>', 'input shape: ndjson, archive (Datadog log archive), api (API responses), json (array or pretty-printed events), or auto: detected per file')
        .choices([...INPUT_SHAPES, 'auto'])
        .default('auto'),
    )
    .addOption(new Option('--keep-envelope', 'write the whole archive or API record of each event, not only the event'))
    .addOption(maxLineBytesOption())
    .addOption(new Option('--summary', 'print a summary report on stderr after the run'))
    .addOption(new Option('--summary-json <FILE>', 'write the summary as one JSON object to FILE'))
    .addOption(new Option('--no-progress', 'no progress line (it is shown only on a TTY stderr, after a second)'))
    .addOption(colorOption())
    .version(VERSION, '-V, --version')
    .helpOption('-h, --help', 'show this help');
}
