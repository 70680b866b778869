/**
 * `TOOL completion bash|zsh|fish`: a shell completion script built from the
 * tool's commander definition: its options (and csm-schema's commands), the
 * choices of `--format`/`--error-format`/`--color`, `--kind` names from
 * kinds.ts, `--field`/`--where` paths from the schema csm-filter checks by default (the
 * newest Linux one), SECL field names inside a `--secl` expression (as paths in a `--where`
 * query), files otherwise.
 * Paths complete one step at a time (a path that has children goes to its dot, with
 * no space after it); in a `--where` query, quoted or not, the path under the cursor
 * completes where a path can start, and the rest of the query stays as it is.
 *
 * `runTool` (run.ts) calls `printCompletion` for `TOOL completion SHELL`, so
 * every tool takes the `completion` command without knowing about it.
 */
import { Command, type Option } from 'commander';
import { ExitCode, UsageError } from '../core/diagnostic.js';
import { KNOWN_KINDS } from '../core/kinds.js';
import { type Segment, isIdentifier } from '../core/path.js';
import { listPaths } from '../core/schema-index.js';
import { schemaIndexOf } from '../io/schemas.js';
import { staticSchema } from '../io/catalog.js';
import { seclFieldNames } from '../secl/catalog.js';
import { SHELLS, type Shell, type Tool, commandFor, completionCommand, isRepeatable } from './commands.js';
import type { Io } from './io.js';
import { parseCommand } from './args.js';
import { type CommandSpec, type Values, bashScript, fishScript, zshScript } from './completion-scripts.js';

export type { CommandSpec, OptionSpec, Values } from './completion-scripts.js';

// ---------------------------------------------------------------------------
// What to complete, read from the commander definitions

function optionValues(o: Option): Values | undefined {
  if (!o.required && !o.optional) return undefined;
  if (o.argChoices !== undefined) return { kind: 'words', words: o.argChoices, list: false };
  const name = o.attributeName();
  if (name === 'kind') return { kind: 'words', words: KNOWN_KINDS, list: true };
  if (name === 'field' || name === 'countBy') return { kind: 'paths', list: true };
  if (name === 'where') return { kind: 'query' };
  if (name === 'secl') return { kind: 'secl' };
  // --schema NAME|FILE: files (the few bundled names, auto and linux-2025-09 and the like, are typed)
  if (name === 'schema') return { kind: 'files' };
  if (name === 'timeField') return { kind: 'paths', list: false };
  if (/<FILE>/.test(o.flags)) return { kind: 'files' };
  return { kind: 'none' };
}

export function commandSpec(cmd: Command): CommandSpec {
  const help = cmd.createHelp();
  const options = help.visibleOptions(cmd).map((o) => ({
    ...(o.short !== undefined ? { short: o.short } : {}),
    ...(o.long !== undefined ? { long: o.long } : {}),
    description: o.description,
    values: optionValues(o),
    repeatable: isRepeatable(o),
  }));
  const arg = cmd.registeredArguments[0];
  let args: Values = { kind: 'none' };
  if (arg?.argChoices !== undefined) args = { kind: 'words', words: arg.argChoices, list: false };
  else if (arg !== undefined && /FILE/.test(arg.name())) args = { kind: 'files' };
  else if (arg !== undefined && /PATH|PREFIX/.test(arg.name())) args = { kind: 'paths', list: false };
  return {
    name: cmd.name(),
    description: cmd.description().split('\n')[0]!,
    options,
    args,
    commands: cmd.commands.map(commandSpec),
  };
}

/**
 * The paths offered for `--field`/`--where`: the schema's paths, keys joined by
 * dots (`mount.mountpoint.path`, which csm-filter reads with the schema) so a
 * shell can complete them one step at a time; `["..."]` only for a key that is
 * not made of identifiers.
 */
export function completionPaths(): string[] {
  // The schema csm-filter checks paths against by default (--schema auto: the newest Linux schema).
  return listPaths(schemaIndexOf(staticSchema(undefined).schema)).map((p) => dottedPath(p.segments));
}

/** A listed path with its keys joined by dots (`mount.mountpoint.path`), as csm-filter also reads it. */
export function dottedPath(segments: readonly Segment[]): string {
  return segments
    .map((s, i) => {
      if (s.kind !== 'key') return '[*]';
      if (!s.key.split('.').every(isIdentifier)) return `[${JSON.stringify(s.key)}]`;
      return i === 0 ? s.key : `.${s.key}`;
    })
    .join('');
}

/**
 * The SECL field names offered in a `--secl` expression: without the `.length` of a string
 * field (`process.file.name.length`), so that the field itself completes as a whole name
 * rather than stopping at `process.file.name.`; `.length` is typed after it.
 */
export function seclCompletionNames(): string[] {
  const names = seclFieldNames();
  const all = new Set(names);
  return names.filter((n) => !(n.endsWith('.length') && all.has(n.slice(0, -'.length'.length))));
}

/** The completion script of `cmd` for `shell`. */
export function completionScript(tool: string, cmd: Command, shell: Shell): string {
  const spec = commandSpec(cmd);
  const all = (c: CommandSpec): Values[] => [
    c.args,
    ...c.options.flatMap((o) => (o.values !== undefined ? [o.values] : [])),
    ...c.commands.flatMap(all),
  ];
  // only the tools that complete paths (kinds) carry their list
  const paths = all(spec).some((v) => v.kind === 'paths' || v.kind === 'query') ? completionPaths() : [];
  const kinds = all(spec).some((v) => v.kind === 'words' && v.list);
  // the SECL field names, for a tool with --secl
  const secl = all(spec).some((v) => v.kind === 'secl') ? seclCompletionNames() : [];
  if (shell === 'bash') return bashScript(tool, spec, paths, secl);
  if (shell === 'zsh') return zshScript(tool, spec, paths, kinds, secl);
  return fishScript(tool, spec, paths, kinds, secl);
}

/** `TOOL completion SHELL` (argv[0] is `completion`): prints the script of the tool's command line. */
export function printCompletion(tool: Tool, io: Io): ExitCode {
  const program = commandFor(tool);
  let sub = program.commands.find((c) => c.name() === 'completion');
  if (sub === undefined) {
    sub = completionCommand();
    // a parent only for the help's usage line (`csm-validate completion <SHELL>`)
    new Command(tool).addCommand(sub);
  }
  const parsed = parseCommand(sub, { ...io, argv: io.argv.slice(1) });
  if (parsed.kind === 'exit') return parsed.code;
  const shell = sub.args[0] as Shell;
  if (!SHELLS.includes(shell)) throw new UsageError(`completion: expected bash, zsh or fish`);
  io.stdout.write(completionScript(tool, program, shell));
  return ExitCode.ok;
}
