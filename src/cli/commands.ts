/**
 * Every tool's command line in one place: the commander definitions of
 * csm-validate, csm-filter and csm-schema (their options, choices, defaults and
 * `--help` text) and the `completion` command they all take. `--help`, the man
 * pages (man.ts) and the completion scripts (completion.ts) are all read from
 * these, so they cannot drift apart.
 */
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_MAX_LINE_BYTES } from '../core/lines.js';
import { INPUT_SHAPES } from '../core/shapes/detect.js';
import { FIELD_FORMATS } from '../print/fields.js';
import { ERROR_FORMATS } from '../print/report.js';
import { VERSION } from './version.js';

export const TOOLS = ['csm-validate', 'csm-filter', 'csm-schema'] as const;
export type Tool = (typeof TOOLS)[number];

/** The command definition of a tool. */
export function commandFor(tool: Tool): Command {
  return tool === 'csm-validate' ? validateCommand() : tool === 'csm-filter' ? filterCommand() : schemaCommand();
}

// ---------------------------------------------------------------------------
// Value parsers and the options the tools share

/**
 * A repeatable option: each use adds its value to a list (read it as
 * `opts.x ?? []`). No default, so `--help` shows none; completion asks
 * `isRepeatable`.
 */
const repeatableOptions = new WeakSet<Option>();
function repeatable(flags: string, description: string): Option {
  const option = new Option(flags, description).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
  repeatableOptions.add(option);
  return option;
}
export function isRepeatable(option: Option): boolean {
  return repeatableOptions.has(option);
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

function maxLineBytesOption(): Option {
  return new Option(
    '--max-line-bytes <SIZE>',
    'a longer line is invalid (keyword size) and skipped without being kept in memory',
  )
    .argParser(byteSizeArg)
    .default(DEFAULT_MAX_LINE_BYTES, '64M');
}

function colorOption(): Option {
  return new Option('--color <when>', 'colour diagnostics: auto, always or never (NO_COLOR, FORCE_COLOR respected)')
    .choices(['auto', 'always', 'never'])
    .default('auto');
}

function errorFormatOption(description: string): Option {
  return new Option('--error-format <FORMAT>', description).choices(ERROR_FORMATS).default('text');
}

/** The flags every line tool ends with: input shape, line limit, reports, progress, colour, version, help. */
function withRunOptions(command: Command): Command {
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

// ---------------------------------------------------------------------------
// csm-validate

export function validateCommand(): Command {
  const command = new Command('csm-validate')
    .description(
      'Validate newline-delimited JSON Datadog CSM Threats events against the event schema.\n' +
        'Valid lines go to stdout byte for byte; every error of every invalid line goes to stderr.',
    )
    .argument('[FILE...]', 'NDJSON files, plain or gzip (- or none: stdin)')
    .option('-q, --quiet', 'do not print valid lines')
    .option('--schema <FILE>', 'validate against this JSON Schema instead of the bundled one')
    .addOption(
      errorFormatOption('error report format'),
    )
    .option('--errors <FILE>', 'write error reports to FILE instead of stderr')
    .option('--invalid-out <FILE>', 'write invalid lines, byte for byte, to FILE')
    .option('--fail-fast', 'stop at the first invalid line')
    .option('--max-invalid <N>', 'stop after N invalid lines', integerArg(1))
    .option(
      '-j, --jobs <N>',
      'validate in N worker threads, output in input order (default: one per core once the input passes 8 MiB; 1: no threads)',
      integerArg(1),
    );
  return withRunOptions(command).addHelpText(
      'after',
      `
Exit status: 0 all lines valid (or no input), 1 some line invalid, 2 usage error,
unreadable input, unwritable output or bad schema, 130 SIGINT, 143 SIGTERM.

Shell completion: csm-validate completion bash|zsh|fish (e.g. source <(csm-validate completion bash)).
Manual: man csm-validate. The schema's fields and kinds: csm-schema fields, csm-schema kinds.

Examples:
  cat events.ndjson | csm-validate
  csm-validate -q --summary events.ndjson.gz
  csm-validate --invalid-out bad.ndjson events.ndjson > good.ndjson
  csm-validate --error-format json --errors report.ndjson events.ndjson
  csm-validate --schema newer.schema.json --fail-fast events.ndjson`,
    );
}

// ---------------------------------------------------------------------------
// csm-filter

export function filterCommand(): Command {
  const command = new Command('csm-filter')
    .description(
      'Select Datadog CSM Threats events from NDJSON streams by kind and by a query, and project fields.\n' +
        'Selected lines go to stdout byte for byte (or the --field projection); problems go to stderr.',
    )
    .argument('[FILE...]', 'NDJSON files, plain or gzip (- or none: stdin)')
    .addOption(repeatable('-k, --kind <NAME[,NAME...]>', 'evt.name is one of these (repeatable)'))
    .addOption(repeatable('-w, --where <EXPR>', 'query the event must match (repeatable: all must hold)'))
    .option('-v, --invert', 'select the events that do NOT match')
    .option(
      '--since <TIME>',
      'only events at or after TIME: RFC 3339 (2024-08-01T06:00:00Z), a date (2024-08-01: UTC midnight) or a time ago (15m, 2h, 7d)',
    )
    .option('--until <TIME>', 'only events before TIME (same forms as --since; the window is since <= t < until)')
    .option('--time-field <PATH>', 'the date-time field --since/--until test (default: date)')
    .option('-n, --limit <N>', 'stop after N selected events', integerArg(0))
    .option('-c, --count', 'print only the number of selected events')
    .addOption(repeatable('-f, --field <PATH[,PATH...]>', 'print these fields instead of the line (repeatable)'))
    .addOption(new Option('--format <FORMAT>', 'output format with --field').choices(FIELD_FORMATS).default('ndjson'))
    .option('--flat', 'with --format ndjson: {"process.args": [...]} instead of nested objects')
    .option('--no-header', 'with --format tsv|csv: no header line')
    .option('--validate', 'also validate each event against the schema and drop invalid ones')
    .option('--schema <FILE>', 'JSON Schema for --validate and for checking field paths')
    .option('--no-schema-check', 'do not check --field/--where paths against the schema')
    .addOption(errorFormatOption('report format for bad lines'))
    .option('--errors <FILE>', 'write reports of bad lines to FILE instead of stderr')
    .option(
      '-j, --jobs <N>',
      'filter in N worker threads, output in input order (default: one per core once the input passes 8 MiB; 1: no threads)',
      integerArg(1),
    );
  return withRunOptions(command).addHelpText(
      'after',
      `
Query language (--where): paths like process.args[0], process.ancestors[*].executable.path,
mount["mountpoint.path"]; == != < <= > >=; =~ !~ with a glob "/etc/**" or a regex
r"^/tmp/.*\\.sh$"; in [...], not in [...]; exists(path); and/&&, or/||, not/!, ( );
path & 0o4000 != 0 (bitwise and, before the comparison); integers 0x1F 0o755 0b101;
a date-time field (date) against "2024-08-01T06:00:00Z" compares instants.

Exit status: 0 done (selecting nothing included), 1 some line was not JSON (or
invalid, with --validate), 2 usage error, bad query or field, unreadable input
or unwritable output, 130 SIGINT, 143 SIGTERM.

Shell completion: csm-filter completion bash|zsh|fish (e.g. source <(csm-filter completion bash)).
Manual: man csm-filter. The schema's fields and kinds: csm-schema fields, csm-schema kinds.

Examples:
  csm-filter --kind exec --field process.args events.ndjson
  csm-filter -k open,unlink -w 'file.path =~ "/etc/**" and process.credentials.uid == 0' a.ndjson.gz
  csm-filter -w 'exists(dns.question.name)' -f dns.question.name -f process.executable.path --format tsv
  csm-filter -c -k exec -w 'process.ancestors[*].executable.name == "nginx"' events.ndjson
  csm-filter --kind mount -f 'mount["mountpoint.path"]' --format raw events.ndjson
  csm-filter --since 2024-08-01T06:00:00Z --until 2024-08-01T07:00:00Z --summary events.ndjson
  csm-filter --since 2h -k chmod -w 'file.destination.mode & 0o4000 != 0' events.ndjson`,
    );
}

// ---------------------------------------------------------------------------
// csm-schema

const TABLE_FORMATS = ['text', 'tsv', 'json'] as const;

function schemaOption(cmd: Command): Command {
  return cmd.option('--schema <FILE>', 'read this JSON Schema instead of the bundled one').helpOption('-h, --help', 'show this help');
}

function tableOptions(cmd: Command, formats: readonly string[] = TABLE_FORMATS): Command {
  return schemaOption(cmd)
    .addOption(new Option('--format <FORMAT>', 'output format').choices(formats).default('text'))
    .addOption(colorOption());
}

export function schemaCommand(): Command {
  const root = new Command('csm-schema')
    .description(
      'Explore the Datadog CSM Threats event schema: field paths, types and descriptions, event kinds, ' +
        'the schema itself and valid sample events.',
    )
    .usage('<command> [options] [args]')
    .version(VERSION, '-V, --version')
    .helpOption('-h, --help', 'show this help')
    .helpCommand(false)
    .addHelpText(
      'after',
      `
Paths: as csm-filter takes them: process.args, process.ancestors[*].executable.path,
mount["mountpoint.path"] (a key with a dot). Each command takes --schema FILE and -h.

Exit status: 0 done, 2 usage error, unknown field or kind, unreadable or bad schema.

Examples:
  csm-schema fields process.credentials
  csm-schema fields --format tsv | cut -f1,2
  csm-schema describe process.ancestors[*].executable.path
  csm-schema kinds
  csm-schema sample --kind exec | csm-validate
  csm-schema show > backend_linux.schema.json`,
    );
  root.addCommand(
    tableOptions(new Command('fields'))
      .description('list every field path with its type and description')
      .argument('[PREFIX]', 'only the paths that start with PREFIX')
      .option('--no-header', 'with --format text|tsv: no header line'),
  );
  root.addCommand(
    tableOptions(new Command('describe'), ['text', 'json'])
      .description('show one field: type, format, description, where the schema defines it, children')
      .argument('<PATH>', 'the field, as csm-filter --field takes it'),
  );
  root.addCommand(
    tableOptions(new Command('kinds'))
      .description('list the event kinds (evt.name) with the sections each fills')
      .option('--no-header', 'with --format text|tsv: no header line'),
  );
  root.addCommand(schemaOption(new Command('show')).description('print the schema, byte for byte'));
  root.addCommand(
    schemaOption(new Command('sample'))
      .description('print a valid example event of each kind given (of every kind without --kind), one per line')
      .addOption(repeatable('-k, --kind <NAME[,NAME...]>', 'the kinds (repeatable)')),
  );
  root.addCommand(completionCommand());
  return root;
}

// ---------------------------------------------------------------------------
// completion (every tool)

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export function completionCommand(): Command {
  return new Command('completion')
    .description('print a shell completion script for bash, zsh or fish')
    .addArgument(new Argument('<SHELL>', 'bash, zsh or fish').choices(SHELLS))
    .helpOption('-h, --help', 'show this help')
    .addHelpText(
      'after',
      `
Load it for the current shell, or save it where your shell looks for completions:
  bash:  source <(TOOL completion bash)      (or save it in ~/.local/share/bash-completion/completions/TOOL)
  zsh:   source <(TOOL completion zsh)       (or save it as _TOOL in a directory of $fpath)
  fish:  TOOL completion fish | source      (or save it in ~/.config/fish/completions/TOOL.fish)`,
    );
}

