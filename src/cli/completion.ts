/**
 * `TOOL completion bash|zsh|fish`: a shell completion script built from the
 * tool's commander definition: its options (and csm-schema's commands), the
 * choices of `--format`/`--error-format`/`--color`, `--kind` names from
 * kinds.ts, `--field`/`--where` paths from the bundled schema, files otherwise.
 *
 * `runTool` (run.ts) calls `printCompletion` for `TOOL completion SHELL`, so
 * every tool takes the `completion` command without knowing about it.
 */
import { Command, type Option } from 'commander';
import { ExitCode, UsageError } from '../core/diagnostic.js';
import { KIND_NAMES } from '../core/kinds.js';
import { type Segment, isIdentifier } from '../core/path.js';
import { listPaths } from '../core/schema-index.js';
import { bundledEventSchema, schemaIndexOf } from '../io/schemas.js';
import { SHELLS, type Shell, type Tool, commandFor, completionCommand, isRepeatable } from './commands.js';
import type { Io } from './io.js';
import { parseCommand } from './args.js';

// ---------------------------------------------------------------------------
// What to complete, read from the commander definitions

/** What a value (of an option or a positional argument) completes to. */
export type Values =
  | { kind: 'none' }
  | { kind: 'files' }
  /** `list`: a comma-separated list of the words (`--kind exec,open`). */
  | { kind: 'words'; words: readonly string[]; list: boolean }
  | { kind: 'paths'; list: boolean };

export interface OptionSpec {
  short?: string;
  long?: string;
  description: string;
  values: Values | undefined;
  repeatable: boolean;
}

export interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  args: Values;
  commands: CommandSpec[];
}

function optionValues(o: Option): Values | undefined {
  if (!o.required && !o.optional) return undefined;
  if (o.argChoices !== undefined) return { kind: 'words', words: o.argChoices, list: false };
  const name = o.attributeName();
  if (name === 'kind') return { kind: 'words', words: KIND_NAMES, list: true };
  if (name === 'field') return { kind: 'paths', list: true };
  if (name === 'where' || name === 'timeField') return { kind: 'paths', list: false };
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
  return listPaths(schemaIndexOf(bundledEventSchema())).map((p) => dottedPath(p.segments));
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

// ---------------------------------------------------------------------------
// Scripts

const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const flagsOf = (o: OptionSpec): string[] => [o.short, o.long].filter((f): f is string => f !== undefined);

/** bash: `_csm_filter`; completes paths one step at a time (`process.` -> `process.credentials.`). */
function bashScript(tool: string, spec: CommandSpec, paths: string[]): string {
  const fn = `_${tool.replace(/-/g, '_')}`;
  const valueCase = (opts: OptionSpec[]): string => {
    const arms: string[] = [];
    for (const o of opts) {
      if (o.values === undefined) continue;
      arms.push(`    ${flagsOf(o).join('|')}) ${bashValues(o.values)}; return ;;`);
    }
    return arms.length > 0 ? `  case $prev in\n${arms.join('\n')}\n  esac\n` : '';
  };
  const bashValues = (v: Values): string => {
    switch (v.kind) {
      case 'none':
        return 'COMPREPLY=()';
      case 'files':
        return `${fn}_files "$cur"`;
      case 'words':
        return `${fn}_words "$cur" ${v.list ? 1 : 0} ${v.words.map(sq).join(' ')}`;
      case 'paths':
        return `${fn}_paths "$cur"`;
    }
  };
  const body = (c: CommandSpec): string =>
    valueCase(c.options) +
    `  if [[ $cur == -* ]]; then ${fn}_words "$cur" 0 ${c.options.flatMap(flagsOf).join(' ')}; return; fi\n` +
    `  ${bashValues(c.args)}\n`;
  let main: string;
  if (spec.commands.length === 0) {
    main = body(spec);
  } else {
    const arms = spec.commands.map((c) => `  ${c.name})\n${body(c).replace(/^/gm, '  ')}  ;;`).join('\n');
    main =
      `  if ((COMP_CWORD == 1)); then\n` +
      `    if [[ $cur == -* ]]; then ${fn}_words "$cur" 0 ${spec.options.flatMap(flagsOf).join(' ')}\n` +
      `    else ${fn}_words "$cur" 0 ${spec.commands.map((c) => c.name).join(' ')}; fi\n` +
      `    return\n  fi\n` +
      `  case ${'${COMP_WORDS[1]}'} in\n${arms}\n  esac\n`;
  }
  return `# bash completion for ${tool}, generated by \`${tool} completion bash\`.
# Load it with:  source <(${tool} completion bash)

# $1: the word; $2: 1 for a comma-separated list; then the candidates.
${fn}_words() {
  local cur=$1 list=$2 pre='' w
  shift 2
  if [[ $list == 1 && $cur == *,* ]]; then pre=\${cur%,*},; cur=\${cur##*,}; fi
  COMPREPLY=()
  for w in "$@"; do
    if [[ $w == "$cur"* ]]; then COMPREPLY+=("$pre$w"); fi
  done
}

${fn}_files() {
  local IFS=$'\\n'
  COMPREPLY=($(compgen -f -- "$1"))
  compopt -o filenames 2>/dev/null
}

${paths.length === 0 ? '' : `${fn}_paths=(
${paths.map((p) => `  ${sq(p)}`).join('\n')}
)

# Field paths, one step at a time: 'process.cred' -> 'process.credentials', 'process.credentials.'.
${fn}_paths() {
  local cur=$1 pre='' c rest tail head seen=' '
  if [[ $cur == *,* ]]; then pre=\${cur%,*},; cur=\${cur##*,}; fi
  COMPREPLY=()
  for c in "\${${fn}_paths[@]}"; do
    [[ $c == "$cur"* ]] || continue
    rest=\${c:\${#cur}}
    tail=\${rest:1}
    if [[ $tail == *.* ]]; then head=$cur\${rest:0:1}\${tail%%.*}.; else head=$c; fi
    [[ $seen == *" $head "* ]] && continue
    seen+="$head "
    COMPREPLY+=("$pre$head")
    if [[ $head == *. ]]; then compopt -o nospace 2>/dev/null; fi
  done
  return 0
}
`}
${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  # --opt=value: bash splits at '='
  if [[ $cur == = ]]; then cur=''; elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then prev=\${COMP_WORDS[COMP_CWORD-2]}; fi
${main}}

complete -F ${fn} ${tool}
`;
}

/** zsh: `_arguments` specs; `compset -P '*,'` for comma lists. */
function zshScript(tool: string, spec: CommandSpec, paths: string[], kinds: boolean): string {
  const fn = `_${tool.replace(/-/g, '_')}`;
  const desc = (s: string): string => s.replace(/\[/g, '(').replace(/\]/g, ')').replace(/:/g, '\\:');
  const action = (v: Values): string => {
    switch (v.kind) {
      case 'none':
        return ' ';
      case 'files':
        return '_files';
      case 'words':
        return v.list ? `${fn}_kinds` : `(${v.words.join(' ')})`;
      case 'paths':
        return `${fn}_paths`;
    }
  };
  const optSpec = (o: OptionSpec): string => {
    const flags = flagsOf(o);
    const exclusive = o.repeatable ? '*' : `(${flags.join(' ')})`;
    const name = flags.length > 1 ? `{${flags.join(',')}}` : flags[0]!;
    const value = o.values !== undefined ? `:${o.long?.slice(2) ?? 'value'}:${action(o.values)}` : '';
    return `${sq(exclusive)}${name}${sq(`[${desc(o.description)}]${value}`)}`;
  };
  const argSpec = (v: Values): string => (v.kind === 'none' ? '' : ` ${sq(`*:arg:${action(v)}`)}`);
  const args = (c: CommandSpec): string => `_arguments -s -S \\\n    ${c.options.map(optSpec).join(' \\\n    ')}${argSpec(c.args)}`;
  let main: string;
  if (spec.commands.length === 0) {
    main = `  ${args(spec)}\n`;
  } else {
    const described = spec.commands.map((c) => sq(`${c.name}:${desc(c.description)}`)).join(' ');
    const arms = spec.commands.map((c) => `      ${c.name})\n        ${args(c).replace(/\n/g, '\n    ')} ;;`).join('\n');
    main = `  local curcontext=$curcontext state line
  local -a commands
  _arguments -C \\
    ${spec.options.map(optSpec).join(' \\\n    ')} \\
    '1:command:->command' '*::arg:->args'
  case $state in
    command) commands=(${described}); _describe command commands ;;
    args)
      case $line[1] in
${arms}
      esac ;;
  esac
`;
  }
  return `#compdef ${tool}
# zsh completion for ${tool}, generated by \`${tool} completion zsh\`.
# Load it with:  source <(${tool} completion zsh)   (after compinit), or save it as _${tool} in $fpath.

${kinds ? `${fn}_kind_names=(${KIND_NAMES.join(' ')})
${fn}_kinds() { compset -P '*,'; compadd -a ${fn}_kind_names; }
` : ''}${paths.length === 0 ? '' : `${fn}_path_names=(
${paths.map((p) => `  ${sq(p)}`).join('\n')}
)
${fn}_paths() { compset -P '*,'; compadd -a ${fn}_path_names; }
`}
${fn}() {
${main}}

if [[ $funcstack[1] == _${tool} ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${tool}
fi
`;
}

/** fish: `complete` lines; `__fish_seen_subcommand_from` for csm-schema's commands. */
function fishScript(tool: string, spec: CommandSpec, paths: string[], kinds: boolean): string {
  const fn = `__${tool.replace(/-/g, '_')}`;
  const fq = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const valueArgs = (v: Values): string => {
    switch (v.kind) {
      case 'none':
        return ' -x';
      case 'files':
        return ' -r -F';
      case 'words':
        return v.list ? ` -x -a '(${fn}_list $${fn}_kinds)'` : ` -x -a ${fq(v.words.join(' '))}`;
      case 'paths':
        return ` -x -a '(${fn}_list $${fn}_paths)'`;
    }
  };
  const lines = (c: CommandSpec, condition: string): string[] => {
    const out = c.options.map((o) => {
      const flags = (o.short !== undefined ? ` -s ${o.short.slice(1)}` : '') + (o.long !== undefined ? ` -l ${o.long.slice(2)}` : '');
      return `complete -c ${tool}${condition}${flags} -d ${fq(o.description)}${o.values !== undefined ? valueArgs(o.values) : ''}`;
    });
    if (c.args.kind === 'words') out.push(`complete -c ${tool}${condition} -x -a ${fq(c.args.words.join(' '))}`);
    if (c.args.kind === 'paths') out.push(`complete -c ${tool}${condition} -x -a '(${fn}_list $${fn}_paths)'`);
    return out;
  };
  let body: string[];
  if (spec.commands.length === 0) {
    body = lines(spec, '');
  } else {
    body = [
      `complete -c ${tool} -f`,
      ...lines(spec, ` -n '__fish_use_subcommand'`),
      ...spec.commands.map((c) => `complete -c ${tool} -n '__fish_use_subcommand' -a ${c.name} -d ${fq(c.description)}`),
      ...spec.commands.flatMap((c) => lines(c, ` -n '__fish_seen_subcommand_from ${c.name}'`)),
    ];
  }
  return `# fish completion for ${tool}, generated by \`${tool} completion fish\`.
# Load it with:  ${tool} completion fish | source

${kinds ? `set -g ${fn}_kinds ${KIND_NAMES.join(' ')}\n` : ''}${
    paths.length === 0 ? '' : `set -g ${fn}_paths \\\n${paths.map((p) => `  ${fq(p)}`).join(' \\\n')}\n`
  }
# The candidates, after what precedes the last comma of the current token.
function ${fn}_list
    set -l tok (commandline -ct)
    set -l pre ''
    if string match -q '*,*' -- $tok
        set pre (string replace -r '[^,]*$' '' -- $tok)
    end
    for w in $argv
        echo $pre$w
    end
end

${body.join('\n')}
`;
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
  const paths = all(spec).some((v) => v.kind === 'paths') ? completionPaths() : [];
  const kinds = all(spec).some((v) => v.kind === 'words' && v.list);
  if (shell === 'bash') return bashScript(tool, spec, paths);
  if (shell === 'zsh') return zshScript(tool, spec, paths, kinds);
  return fishScript(tool, spec, paths, kinds);
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
