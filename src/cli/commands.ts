/**
 * Every tool's command line in one place: the commander definitions of
 * csm-validate, csm-filter and csm-schema (their options, choices, defaults and
 * `--help` text) and the `completion` command they all take. `--help`, the man
 * pages (man.ts) and the completion scripts (completion.ts) are all read from
 * these, so they cannot drift apart.
 */
import { Argument, Command, Option } from 'commander';
import { COUNT_FORMATS, DEFAULT_MAX_GROUPS } from '../core/count-by-limits.js';
import { FIELD_FORMATS } from '../print/fields.js';
import { VERSION } from './version.js';
import {
  SCHEMA_HELP,
  byteSizeArg,
  colorOption,
  errorFormatOption,
  integerArg,
  isRepeatable,
  refOption,
  repeatable,
  schemaValueOption,
  withRunOptions,
  withToleranceOptions,
} from './options.js';

export { SCHEMA_HELP, byteSizeArg, integerArg, isRepeatable };

export const TOOLS = ['csm-validate', 'csm-filter', 'csm-schema', 'csm-rules'] as const;
export type Tool = (typeof TOOLS)[number];

/** The command definition of a tool. */
export function commandFor(tool: Tool): Command {
  if (tool === 'csm-rules') return rulesCommand();
  return tool === 'csm-validate' ? validateCommand() : tool === 'csm-filter' ? filterCommand() : schemaCommand();
}

// ---------------------------------------------------------------------------
// Value parsers and the options the tools share

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
    .addOption(schemaValueOption('the schema that judges each event'))
    .addOption(refOption())
    .addOption(
      errorFormatOption('error report format'),
    )
    .option('--errors <FILE>', 'write error reports to FILE instead of stderr')
    .option('--invalid-out <FILE>', 'write invalid lines, byte for byte, to FILE')
    .option('--fail-fast', 'stop at the first invalid line')
    .option('--max-invalid <N>', 'stop after N invalid lines', integerArg(1));
  withToleranceOptions(command, '')
    .option(
      '-j, --jobs <N>',
      'validate in N threads: the main thread and N-1 workers, output in input order (at most 16; 1: no workers; default: one per core, at most 16, once the input passes 8 MiB, workers kept only if measured faster than one thread)',
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
  csm-validate --schema newer.schema.json --fail-fast events.ndjson
  csm-validate -q --summary --allow-unknown-keys --ignore type:/dns/response events.ndjson
  csm-validate --schema linux-2024-08 events.ndjson`,
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
    .addOption(repeatable('--secl <EXPR>', "SECL expression (the agent's rule language) the event must match (repeatable)"))
    .option('-v, --invert', 'select the events that do NOT match')
    .option(
      '--since <TIME>',
      'only events at or after TIME: RFC 3339 (2024-08-01T06:00:00Z), a date (2024-08-01: UTC midnight) or a time ago (15m, 2h, 7d)',
    )
    .option('--until <TIME>', 'only events before TIME (same forms as --since; the window is since <= t < until)')
    .option('--time-field <PATH>', 'the date-time field --since/--until test (default: date)')
    .option('-n, --limit <N>', 'stop after N selected events', integerArg(0))
    .option('--max-invalid <N>', 'stop after N invalid lines (bounds the reports of an untrusted stream)', integerArg(1))
    .option('-c, --count', 'print only the number of selected events')
    .addOption(
      repeatable('--count-by <PATH[,PATH...]>', 'count the selected events by the values of these fields, most frequent first (repeatable)'),
    )
    .option('--top <N>', 'with --count-by: only the first N groups', integerArg(1))
    .option('--rare', 'with --count-by: least frequent first')
    .option('--max-groups <N>', `with --count-by: keep at most N groups, beyond that the result is incomplete (default: ${DEFAULT_MAX_GROUPS})`, integerArg(1))
    .addOption(repeatable('-f, --field <PATH[,PATH...]>', 'print these fields instead of the line (repeatable)'))
    .addOption(
      new Option('--format <FORMAT>', 'output format: with --field ndjson (default), tsv, csv or raw; with --count-by text (default), tsv, csv or ndjson').choices([
        ...FIELD_FORMATS,
        ...COUNT_FORMATS.filter((f) => !(FIELD_FORMATS as readonly string[]).includes(f)),
      ]),
    )
    .option('--flat', 'with --format ndjson: {"process.args": [...]} instead of nested objects')
    .option('--no-header', 'with --format tsv|csv (and text with --count-by): no header line')
    .option('--validate', 'also validate each event against the schema and drop invalid ones')
    .addOption(schemaValueOption('the schema of --validate and of the path checks (auto checks paths against the newest Linux schema)'))
    .addOption(refOption())
    .option('--no-schema-check', 'do not check --field/--where paths against the schema');
  withToleranceOptions(command, ' (with --validate)')
    .addOption(errorFormatOption('report format for bad lines'))
    .option('--errors <FILE>', 'write reports of bad lines to FILE instead of stderr')
    .option(
      '-j, --jobs <N>',
      'filter in N threads: the main thread and N-1 workers, output in input order (at most 16; 1: no workers; default: one per core, at most 16, once the input passes 8 MiB, workers kept only if measured faster than one thread)',
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

SECL (--secl): the agent's rule language and semantics on its field names
(exec.file.path, open.flags & O_CREAT > 0, process.ancestors.file.name in [...]);
a rule applies to the events of its fields' type. Fields: csm-schema secl [PREFIX].

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
  csm-filter --since 2h -k chmod -w 'file.destination.mode & 0o4000 != 0' events.ndjson
  csm-filter -k exec --count-by process.executable.path --rare --top 20 events.ndjson
  csm-filter --secl 'exec.file.name in ["curl", "wget"] && process.ancestors.file.name == "nginx"' events.ndjson`,
    );
}

// ---------------------------------------------------------------------------
// csm-schema

const TABLE_FORMATS = ['text', 'tsv', 'json'] as const;

function schemaOption(cmd: Command): Command {
  return cmd
    .addOption(new Option('--schema <NAME|FILE>', `the schema to read: ${SCHEMA_HELP.replace('per event, by agent.os and agent.version', 'the newest Linux schema')}`))
    .helpOption('-h, --help', 'show this help');
}

function tableOptions(cmd: Command, formats: readonly string[] = TABLE_FORMATS): Command {
  return schemaOption(cmd)
    .addOption(new Option('--format <FORMAT>', 'output format').choices(formats).default('text'))
    .addOption(colorOption());
}

/** A tool made of commands (`csm-schema fields`, `csm-rules check`). */
function commandsRoot(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .usage('<command> [options] [args]')
    .version(VERSION, '-V, --version')
    .helpOption('-h, --help', 'show this help')
    .helpCommand(false);
}

export function schemaCommand(): Command {
  const root = commandsRoot(
    'csm-schema',
    'Explore the Datadog CSM Threats event schema: field paths, types and descriptions, event kinds, ' +
      'the schema itself and valid sample events.',
  ).addHelpText(
      'after',
      `
Paths: as csm-filter takes them: process.args, process.ancestors[*].executable.path,
mount["mountpoint.path"] (a key with a dot). Each command takes -h; all but secl
(the agent's SECL fields, for csm-filter --secl) take --schema FILE.

Exit status: 0 done, 2 usage error, unknown field or kind, unreadable or bad schema.

Examples:
  csm-schema fields process.credentials
  csm-schema fields --format tsv | cut -f1,2
  csm-schema describe process.ancestors[*].executable.path
  csm-schema kinds
  csm-schema secl open.
  csm-schema versions
  csm-schema diff linux-2024-08 linux-2025-09
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
  root.addCommand(
    // the field table is the agent's, not the schema's: no --schema
    new Command('secl')
      .helpOption('-h, --help', 'show this help')
      .addOption(new Option('--format <FORMAT>', 'output format').choices(TABLE_FORMATS).default('text'))
      .addOption(colorOption())
      .description('list the SECL fields (csm-filter --secl) with their type, event type, and JSON path, derivation or why unavailable')
      .argument('[PREFIX]', 'only the fields that start with PREFIX')
      .option('--no-header', 'with --format text|tsv: no header line'),
  );
  root.addCommand(schemaOption(new Command('show')).description('print the schema, byte for byte'));
  root.addCommand(
    schemaOption(new Command('sample'))
      .description('print a valid example event of each kind given (of every kind without --kind), one per line')
      .addOption(repeatable('-k, --kind <NAME[,NAME...]>', 'the kinds (repeatable)')),
  );
  root.addCommand(
    new Command('versions')
      .description('list the bundled schemas: date, $defs, provenance, the agent releases each judges')
      .addOption(new Option('--format <FORMAT>', 'output format').choices(TABLE_FORMATS).default('text'))
      .option('--no-header', 'with --format text|tsv: no header line')
      .addOption(colorOption())
      .helpOption('-h, --help', 'show this help'),
  );
  root.addCommand(
    new Command('diff')
      .description('what changed from schema A to schema B: sections, $defs, properties, required keys, types, paths')
      .argument('<A>', 'a bundled schema name or a JSON Schema file')
      .argument('<B>', 'a bundled schema name or a JSON Schema file')
      .addOption(new Option('--format <FORMAT>', 'output format').choices(['text', 'json']).default('text'))
      .addOption(colorOption())
      .helpOption('-h, --help', 'show this help'),
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


// ---------------------------------------------------------------------------
// csm-rules

const POLICY_ARGS = 'policy files (*.policy, *.yaml, *.yml, or -p FILE) and NDJSON event files (- or none: stdin)';

function rulesSubcommand(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .addOption(repeatable('-p, --policy <FILE>', 'a policy file, whatever its name (repeatable)'))
    .helpOption('-h, --help', 'show this help');
}

/** What match and diff share: which rules, and the line tools' run options. */
function rulesRunOptions(command: Command): Command {
  command
    .addOption(repeatable('--rule <ID>', 'only this rule (repeatable)'))
    .addOption(errorFormatOption('report format for bad lines'))
    .option('--errors <FILE>', 'write reports of bad lines to FILE instead of stderr')
    .option(
      '-j, --jobs <N>',
      'evaluate in N threads: the main thread and N-1 workers, output in input order (1: no workers; default: one per core once the input passes 8 MiB, workers kept only if measured faster than one thread; --stats runs in one)',
      integerArg(1),
    );
  return withRunOptions(command);
}

export function rulesCommand(): Command {
  const root = commandsRoot(
    'csm-rules',
    "Load Datadog CSM Threats policy files (the agent's format and override rules) and run their SECL rules " +
      'over recorded backend events: which rules load, which can be evaluated from the backend JSON, ' +
      'which events each rule matches, and what a policy change changes.',
  ).addHelpText(
      'after',
      `
Arguments ending in .policy, .yaml or .yml are policy files (or give one with -p FILE);
the others are event files (- is stdin). Several policy files load as the agent loads
them: default.policy first, then the others in order, later definitions merged into
earlier ones (combine: override, disabled).

Exit status: 0 done (match: whether or not anything matched), 1 some line was not JSON,
2 usage error, a policy that does not load (file:line:col and a caret), unreadable input
or unwritable output, 130 SIGINT, 143 SIGTERM.

Examples:
  csm-rules check default.policy
  csm-rules match default.policy events.ndjson.gz
  csm-rules match default.policy --rule shell_spawned_by_web_server --format tsv events.ndjson
  csm-rules match --stats -q default.policy events.ndjson
  csm-rules diff default.policy tuned.policy --show events.ndjson`,
    );
  root.addCommand(
    rulesSubcommand('check', 'load the policies and print every rule with whether it can be evaluated from the backend JSON')
      .argument('[POLICY...]', 'policy files')
      .addOption(new Option('--format <FORMAT>', 'output format').choices(['text', 'tsv', 'json']).default('text'))
      .option('--os <OS>', 'the agent whose rules are checked: its os (filters)', 'linux')
      .option('--agent-version <VERSION>', 'the agent version (agent_version constraints; default: every constraint holds)')
      .option('--no-header', 'with --format text|tsv: no header line')
      .addOption(colorOption()),
  );
  root.addCommand(
    rulesRunOptions(
      rulesSubcommand('match', 'print the events that some rule matches, byte for byte (or with the rule ids: --format tsv|ndjson)')
        .argument('[ARGS...]', POLICY_ARGS)
        .addOption(new Option('--format <FORMAT>', 'lines: the events; tsv: rules, file, line, event; ndjson: {"rules","file","line","event"}').choices(['lines', 'tsv', 'ndjson']).default('lines'))
        .option('--no-header', 'with --format tsv: no header line')
        .option('-q, --quiet', 'do not print the matching events')
        .option('--stats', 'print per rule on stderr: events matched, events it applied to, exact or approximate'),
    ),
  );
  root.addCommand(
    rulesRunOptions(
      rulesSubcommand('diff', 'per rule, the events that match with the OLD policy and not the NEW one, and the reverse')
        .argument('[ARGS...]', 'OLD and NEW policy files, then NDJSON event files (- or none: stdin)')
        .option('--show', 'also print each such event: -RULE<TAB>event (OLD only) or +RULE<TAB>event (NEW only)'),
    ),
  );
  root.addCommand(completionCommand());
  return root;
}
